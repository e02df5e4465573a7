package api

// surveyOperations describes the satisfaction survey routes (docs/followup.md).
func surveyOperations() map[string]op {
	return map[string]op{
		"GET " + Prefix + "/tickets/{number}/survey": {summary: "The satisfaction surveys of a ticket, one per resolution, oldest " +
			"first, with their answers: staff see every ticket's, a customer their own organisation's (404 otherwise)",
			resp: items[surveyRecord]{}},
	}
}
