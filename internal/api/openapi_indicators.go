package api

// indicatorOperations describes the steering indicators' route (docs/indicators.md).
func indicatorOperations() map[string]op {
	return map[string]op{
		"GET " + Prefix + "/indicators": {summary: "The steering figures of a period [from, to): volume, backlog, SLA compliance " +
			"per target, business times in seconds, levels, reopenings, satisfaction, knowledge base, availability, projects. " +
			"Staff see every customer or the one named; a customer's token always gets its own organisation's figures",
			query: []param{
				{"from", "first instant of the period: RFC 3339, or a day YYYY-MM-DD (its first instant in UTC); default the first day of the current month (UTC)"},
				{"to", "the instant after the period, same forms; default the first day of the next month (UTC)"},
				{"customer", "customer code"}, {"env_kind", "the tickets' environment kind: test, preprod, prod"},
				{"severity", "a severity code"}, {"level", "N1, N2 or N3"}, {"channel", "web, mail, api or probe"}},
			resp: indicators{}},
	}
}
