package i18n

// enMyProjects holds the customer portal's project pages (/my-projects) and the project reminder
// mails' template names and fields.
var enMyProjects = map[string]string{
	"nav.my_projects": "Projects",

	"myproj.list_title":        "Projects",
	"myproj.projects_title":    "Your projects",
	"myproj.none":              "Your organisation has no project with us yet.",
	"myproj.owed_title":        "What we are waiting for from you",
	"myproj.owed_none":         "Nothing: every item your side owes is given, validated or waived.",
	"myproj.late":              "late",
	"myproj.progress":          "%d of %d done",
	"myproj.intro":             "The items your side owes can be submitted here, with a text and files; the vendor's team reviews them. A validated item no longer changes.",
	"myproj.phase_closed":      "closed",
	"myproj.no_items":          "No checklist item in this phase.",
	"myproj.evidence_hint":     "What you provide for this item: answers, references, links. Files can be added below.",
	"myproj.evidence_required": "give a text or at least one file",
	"myproj.submit":            "Submit",
	"myproj.comment":           "Comment",
	"myproj.frozen":            "This item is complete: it no longer changes.",
	"done.myproj_submitted":    "Item submitted: the vendor's team will review it.",
	"done.myproj_commented":    "Comment added.",

	"myproj.f.item":          "Item",
	"myproj.f.project":       "Project",
	"myproj.f.phase":         "Phase",
	"myproj.f.due":           "Due",
	"myproj.f.status":        "Status",
	"myproj.f.current_phase": "Current phase",
	"myproj.f.progress":      "Phases",
	"myproj.f.target":        "Target date",
	"myproj.f.manager":       "Project manager",
	"myproj.f.start":         "Start",
	"myproj.f.owner":         "Owed by",
	"myproj.f.evidence":      "Evidence",
	"myproj.f.submitted":     "Submitted",
	"myproj.f.files":         "Files",
	"myproj.f.comment":       "Comment",

	"myproj.side.customer": "your organisation",
	"myproj.side.vendor":   "the vendor",

	"myproj.item_status.todo":      "to do",
	"myproj.item_status.submitted": "submitted",
	"myproj.item_status.validated": "validated",
	"myproj.item_status.waived":    "waived",

	"myproj.status.on_track": "on track",
	"myproj.status.at_risk":  "at risk",
	"myproj.status.late":     "late",
	"myproj.status.done":     "done",

	// The reminder mails (package notify, project_reminders.go).
	"tpl.kind.project_item_due":  "Project item due soon (customer contacts)",
	"tpl.kind.project_item_late": "Project item late (customer contacts)",
	"tpl.field.Project":          "project_item_due, project_item_late: the project's name",
	"tpl.field.Phase":            "project_item_due, project_item_late: the item's phase, in the mail's language",
	"tpl.field.Item":             "project_item_due, project_item_late: the checklist item's title, in the mail's language",
	"tpl.field.Due":              "project_item_due, project_item_late: the item's due day, 2027-03-06",
}
