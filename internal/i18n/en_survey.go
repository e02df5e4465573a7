package i18n

// enSurvey is the English catalog of the satisfaction survey (mailed link, portal) and closing without an answer.
var enSurvey = map[string]string{}
