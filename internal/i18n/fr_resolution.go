package i18n

// frResolution is the French catalog of resolving a ticket (summary, cause codes) and the knowledge-base rule at closure.
var frResolution = map[string]string{}
