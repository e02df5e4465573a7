package i18n

// enKBTicket is the English catalog of the knowledge-base panel of a ticket (similar tickets, articles, procedures) and the portal's suggestions.
var enKBTicket = map[string]string{}
