package i18n

// frKBTicket is the French catalog of the knowledge-base panel of a ticket (similar tickets, articles, procedures) and the portal's suggestions.
var frKBTicket = map[string]string{}
