package api

// monthlyReportOperations describes the monthly service report's route (docs/report.md).
func monthlyReportOperations() map[string]op {
	return map[string]op{
		"GET " + Prefix + "/customers/{code}/report": {summary: "A customer's monthly service report: tickets created, " +
			"resolved or open at the end of the month, SLA compliance per severity and clock, availability of production, " +
			"deployments, satisfaction and open actions; the month's bounds are midnights in the customer's contract calendar. " +
			"Staff read any customer's; a customer's token only its own organisation's (another's is not found), without the " +
			"environments the vendor does not show it",
			query: []param{{"month", "YYYY-MM; default the previous month (UTC)"}},
			resp:  monthlyReport{}},
	}
}
