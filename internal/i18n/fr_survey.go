package i18n

// frSurvey is the French catalog of the satisfaction survey (mailed link, portal) and closing without an answer.
var frSurvey = map[string]string{}
