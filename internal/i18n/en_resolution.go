package i18n

// enResolution is the English catalog of resolving a ticket (summary, cause codes) and the knowledge-base rule at closure.
var enResolution = map[string]string{}
