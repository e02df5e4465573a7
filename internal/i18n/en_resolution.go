package i18n

// enResolution is the English catalog of resolving a ticket (summary, cause codes) and the knowledge-base rule at closure.
var enResolution = map[string]string{
	"nav.causes":         "Cause codes",
	"ticket.field.cause": "Cause",

	"resolve.legend":              "Resolution",
	"resolve.only_when_resolving": "Fill these in when the new status is Resolved.",
	"resolve.summary":             "Resolution summary",
	"resolve.summary_hint":        "What was done, in words the customer reads: it is sent to them.",
	"resolve.cause":               "Cause",
	"resolve.cause_hint":          "Internal: the customer does not see it; the indicators count it.",
	"resolve.choose_cause":        "Choose a cause…",
	"resolve.draft_article":       "Create a draft knowledge-base article from this ticket",
	"resolve.kb_required_hint":    "Tickets of this severity are recorded in the knowledge base: link an article, or tick this box.",
	"resolve.box_title":           "Resolution and knowledge base",
	"resolve.kb_title":            "Record this case in the knowledge base",
	"resolve.kb_none":             "No article is linked to this ticket yet.",
	"resolve.create_draft":        "Create a draft article from this ticket",
	"resolve.err_summary":         "Write a resolution summary: what was done, in words the customer reads.",
	"resolve.err_summary_long":    "The summary is too long (at most 10,000 characters).",
	"resolve.err_not_resolving":   "A resolution is only recorded when the new status is Resolved.",
	"resolve.err_cause":           "Choose a cause from the list.",
	"resolve.err_article":         "A blocking ticket is recorded in the knowledge base: link an article or create a draft.",

	"cause.list_title":           "Cause codes",
	"cause.intro":                "The causes agents choose from when they resolve a ticket. Retire a cause rather than delete it: resolved tickets keep theirs. Customers never see causes.",
	"cause.add":                  "Add a cause code",
	"cause.edit_title":           "Cause code %s",
	"cause.active":               "Offered when resolving",
	"severity.kb_required":       "Resolving requires a knowledge-base article",
	"severity.kb_required_short": "Knowledge base",
}
