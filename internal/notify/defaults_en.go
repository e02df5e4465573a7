package notify

import "github.com/opsdesk/opsdesk/internal/store"

// page wraps the body of a built-in HTML template in a small, self-contained document (mail
// clients ignore style sheets: the few styles are inline).
func page(body string) string {
	return `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Number}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">
` + body + `<p style="margin-top: 24px; font-size: 12px; color: #59636e;">{{.Number}} · <a href="{{.URL}}">{{.URL}}</a></p>
</body>
</html>
`
}

// facts is the table of a ticket's main facts in the HTML templates.
func facts(rows string) string {
	return `<table style="border-collapse: collapse; margin: 12px 0;">` + rows + `</table>
`
}

func fact(label, value string) string {
	return `<tr><th style="text-align: left; padding: 2px 16px 2px 0; font-weight: normal; color: #59636e;">` + label +
		`</th><td style="padding: 2px 0;">` + value + `</td></tr>`
}

const quoted = `<div style="white-space: pre-wrap; border-left: 3px solid #d1d9e0; padding-left: 12px; margin: 12px 0;">{{.Body}}</div>
`

var defaultsEN = map[Kind]store.MailTemplate{
	KindAck: {
		Subject: `[{{.Number}}] {{.Subject}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

We have received your request and registered it as {{.Number}}.

  Subject:  {{.Subject}}
  Severity: {{.Severity}}
{{- if .HandlingTime}}
  Taken in charge within: {{.HandlingTime}}
{{- end}}

An engineer will get back to you. To add information, reply to this mail
(keep {{.Number}} in the subject), or follow your request at:
{{.URL}}

The support team
`,
		HTML: page(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>We have received your request and registered it as <strong>{{.Number}}</strong>.</p>
` + facts(fact("Subject", "{{.Subject}}")+fact("Severity", "{{.Severity}}")+
			"{{if .HandlingTime}}"+fact("Taken in charge within", "{{.HandlingTime}}")+"{{end}}") +
			`<p>An engineer will get back to you. To add information, reply to this mail (keep {{.Number}} in the subject),
or follow <a href="{{.URL}}">your request</a>.</p>
<p>The support team</p>
`),
	},
	KindReply: {
		Subject: `Re: [{{.Number}}] {{.Subject}}`,
		Text: `{{.Body}}

-- 
{{if .Author}}{{.Author}}, support team{{else}}The support team{{end}}
{{.Number}}: {{.URL}}
`,
		HTML: page(`<div style="white-space: pre-wrap;">{{.Body}}</div>
<p>-- <br>{{if .Author}}{{.Author}}, support team{{else}}The support team{{end}}</p>
`),
	},
	KindWaiting: {
		Subject: `Re: [{{.Number}}] {{.Subject}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

To go on with your request {{.Number}}, we need information from you.
{{- if .Reason}}

{{.Reason}}
{{- end}}

Please reply to this mail, or answer on your request's page:
{{.URL}}

Your request waits for your answer and resumes as soon as you reply.

The support team
`,
		HTML: page(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>To go on with your request <strong>{{.Number}}</strong>, we need information from you.</p>
{{if .Reason}}<div style="white-space: pre-wrap; margin: 12px 0;">{{.Reason}}</div>
{{end}}<p>Please reply to this mail, or answer on <a href="{{.URL}}">your request's page</a>.
Your request waits for your answer and resumes as soon as you reply.</p>
<p>The support team</p>
`),
	},
	KindResolved: {
		Subject: `Re: [{{.Number}}] {{.Subject}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

Your request {{.Number}} ("{{.Subject}}") is resolved.
{{- if .Summary}}

{{.Summary}}
{{- end}}
{{- if and .Reason (ne .Reason .Summary)}}

{{.Reason}}
{{- end}}
{{- if .SurveyYes}}

Is the problem solved? One click, no login needed:

  Yes, it is solved: {{.SurveyYes}}
  No, it is not:     {{.SurveyNo}}

You can also answer on the request's page:
{{.URL}}
{{- else}}

Please confirm that the problem is solved — or reopen the request if it is not —
on its page:
{{.URL}}
{{- end}}

Without an answer from you, the request will be closed.

The support team
`,
		HTML: page(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>Your request <strong>{{.Number}}</strong> ({{.Subject}}) is resolved.</p>
{{if .Summary}}<div style="white-space: pre-wrap; margin: 12px 0;">{{.Summary}}</div>
{{end}}{{if and .Reason (ne .Reason .Summary)}}<div style="white-space: pre-wrap; margin: 12px 0;">{{.Reason}}</div>
{{end}}{{if .SurveyYes}}<p>Is the problem solved?</p>
<p><a href="{{.SurveyYes}}" style="display: inline-block; padding: 8px 14px; margin-right: 8px; background: #1f7a3f; color: #ffffff; text-decoration: none; border-radius: 4px;">Yes, it is solved</a>
<a href="{{.SurveyNo}}" style="display: inline-block; padding: 8px 14px; background: #a33a2c; color: #ffffff; text-decoration: none; border-radius: 4px;">No, it is not</a></p>
<p>No login needed. You can also answer on <a href="{{.URL}}">the request's page</a>.
Without an answer from you, the request will be closed.</p>
{{else}}<p><a href="{{.URL}}">Please confirm that the problem is solved</a> — or reopen the request if it is not.
Without an answer from you, the request will be closed.</p>
{{end}}<p>The support team</p>
`),
	},
	KindAgentNew: {
		Subject: `[{{.Number}}] {{if .Escalated}}Escalated to {{.Level}}{{else}}New in {{.Level}}{{end}} ({{.Severity}}): {{.Subject}}`,
		Text: `{{if .Escalated}}{{.Number}} was escalated to {{.Level}}{{if .Author}} by {{.Author}}{{end}}.{{if .Reason}}
Reason: {{.Reason}}{{end}}{{else}}A new ticket is in the {{.Level}} queue.{{end}}

  Customer:  {{.Customer}}
  Requester: {{.Requester}}
  Severity:  {{.Severity}}
  Subject:   {{.Subject}}
{{- if .HandlingTime}}
  To take in charge within: {{.HandlingTime}}
{{- end}}
{{- if .Body}}

{{.Body}}
{{- end}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Escalated}}<strong>{{.Number}}</strong> was escalated to {{.Level}}{{if .Author}} by {{.Author}}{{end}}.{{if .Reason}}<br>Reason: {{.Reason}}{{end}}{{else}}A new ticket is in the {{.Level}} queue.{{end}}</p>
` + facts(fact("Customer", "{{.Customer}}")+fact("Requester", "{{.Requester}}")+fact("Severity", "{{.Severity}}")+
			fact("Subject", "{{.Subject}}")+"{{if .HandlingTime}}"+fact("To take in charge within", "{{.HandlingTime}}")+"{{end}}") +
			`{{if .Body}}` + quoted + `{{end}}`),
	},
	KindAgentAssigned: {
		Subject: `[{{.Number}}] Assigned to you: {{.Subject}}`,
		Text: `{{if .Author}}{{.Author}} assigned{{else}}You were assigned{{end}} {{.Number}}{{if .Author}} to you{{end}}.
{{- if .Reason}}
Reason: {{.Reason}}
{{- end}}

  Customer:  {{.Customer}}
  Requester: {{.Requester}}
  Severity:  {{.Severity}}
  Subject:   {{.Subject}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Author}}{{.Author}} assigned <strong>{{.Number}}</strong> to you{{else}}You were assigned <strong>{{.Number}}</strong>{{end}}.{{if .Reason}}<br>Reason: {{.Reason}}{{end}}</p>
` + facts(fact("Customer", "{{.Customer}}")+fact("Requester", "{{.Requester}}")+fact("Severity", "{{.Severity}}")+
			fact("Subject", "{{.Subject}}"))),
	},
	KindSLAWarning: {
		Subject: `[{{.Number}}] SLA at risk ({{.Clock}}): {{.Subject}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

{{.Number}} is about to miss its {{.Clock}} target of {{.Target}}{{if .Deadline}}: the deadline is {{.Deadline}}{{end}}.

  Customer:  {{.Customer}}
  Severity:  {{.Severity}}
  Level:     {{.Level}}
  Subject:   {{.Subject}}
  Target:    {{.Clock}}, {{.Target}}
{{- if .Deadline}}
  Deadline:  {{.Deadline}}
{{- end}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p><strong>{{.Number}}</strong> is about to miss its {{.Clock}} target of {{.Target}}{{if .Deadline}}: the deadline is <strong>{{.Deadline}}</strong>{{end}}.</p>
` + facts(fact("Customer", "{{.Customer}}")+fact("Severity", "{{.Severity}}")+fact("Level", "{{.Level}}")+
			fact("Subject", "{{.Subject}}")+fact("Target", "{{.Clock}}, {{.Target}}")+"{{if .Deadline}}"+fact("Deadline", "{{.Deadline}}")+"{{end}}")),
	},
	KindSLABreach: {
		Subject: `[{{.Number}}] SLA breached ({{.Clock}}){{if .Escalated}}, escalated to {{.Level}}{{end}}: {{.Subject}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

{{.Number}} missed its {{.Clock}} target of {{.Target}}{{if .Deadline}}: the deadline was {{.Deadline}}{{end}}.
{{- if .Escalated}}
The ticket was escalated to {{.Level}}.
{{- end}}

  Customer:  {{.Customer}}
  Severity:  {{.Severity}}
  Level:     {{.Level}}
  Subject:   {{.Subject}}
  Target:    {{.Clock}}, {{.Target}}
{{- if .Deadline}}
  Deadline:  {{.Deadline}}
{{- end}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p><strong>{{.Number}}</strong> missed its {{.Clock}} target of {{.Target}}{{if .Deadline}}: the deadline was <strong>{{.Deadline}}</strong>{{end}}.{{if .Escalated}}<br>The ticket was escalated to <strong>{{.Level}}</strong>.{{end}}</p>
` + facts(fact("Customer", "{{.Customer}}")+fact("Severity", "{{.Severity}}")+fact("Level", "{{.Level}}")+
			fact("Subject", "{{.Subject}}")+fact("Target", "{{.Clock}}, {{.Target}}")+"{{if .Deadline}}"+fact("Deadline", "{{.Deadline}}")+"{{end}}")),
	},
	KindMaintenance: {
		Subject: `{{if .EnvKind}}[{{.EnvKind}}] {{end}}Planned maintenance of {{.Environment}}: {{.Starts}} – {{.Ends}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

A maintenance of your environment {{.Environment}} ({{.EnvKind}}) is planned:

  From:  {{.Starts}}
  Until: {{.Ends}}
  About: {{.Subject}}
{{- if .Body}}

{{.Body}}
{{- end}}

The service may be interrupted during this window. If this date is a problem for you,
please reply to this mail.

The support team
`,
		HTML: envPage(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>A maintenance of your environment <strong>{{.Environment}}</strong> ({{.EnvKind}}) is planned.</p>
` + facts(fact("From", "{{.Starts}}")+fact("Until", "{{.Ends}}")+fact("About", "{{.Subject}}")) +
			`{{if .Body}}` + quoted + `{{end}}<p>The service may be interrupted during this window. If this date is a problem for you, please reply to this mail.</p>
<p>The support team</p>
`),
	},
	KindAccessExpired: {
		Subject: `Access expired, to revoke: {{.Holder}} – {{.Access}} on {{.Customer}} {{.Environment}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

{{if .ForHolder}}Your access{{else}}The access of {{.Holder}}{{end}} to {{.Customer}}'s environment {{.Environment}} ({{.EnvKind}}) expired on {{.Expired}} and is not revoked yet.
{{- if .ForHolder}} Please give it back, or ask for a new access request.{{else}} Please have it revoked, or renewed through an access request.{{end}}

  Holder:      {{.Holder}}
  Environment: {{.Customer}} – {{.Environment}} ({{.EnvKind}})
  Access:      {{.Access}}
  Expired:     {{.Expired}}
{{- if .Author}}
  Granted by:  {{.Author}}
{{- end}}
{{- if .Reason}}
  Reason:      {{.Reason}}
{{- end}}

{{.URL}}
`,
		HTML: envPage(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>{{if .ForHolder}}Your access{{else}}The access of <strong>{{.Holder}}</strong>{{end}} to {{.Customer}}'s environment <strong>{{.Environment}}</strong> ({{.EnvKind}}) expired on <strong>{{.Expired}}</strong> and is not revoked yet.
{{if .ForHolder}}Please give it back, or ask for a new access request.{{else}}Please have it revoked, or renewed through an access request.{{end}}</p>
` + facts(fact("Holder", "{{.Holder}}")+fact("Environment", "{{.Customer}} – {{.Environment}} ({{.EnvKind}})")+fact("Access", "{{.Access}}")+
			fact("Expired", "{{.Expired}}")+"{{if .Author}}"+fact("Granted by", "{{.Author}}")+"{{end}}"+
			"{{if .Reason}}"+fact("Reason", "{{.Reason}}")+"{{end}}")),
	},
	KindAccessExpiry: {
		Subject: `Your {{.Access}} access to {{.Customer}} {{.Environment}} expires on {{.Expired}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

Your access to {{.Customer}}'s environment {{.Environment}} ({{.EnvKind}}) expires on {{.Expired}}.
If you still need it after that date, ask for it again through an access request.

  Environment: {{.Customer}} – {{.Environment}} ({{.EnvKind}})
  Access:      {{.Access}}
  Expires:     {{.Expired}}
{{- if .Author}}
  Granted by:  {{.Author}}
{{- end}}
{{- if .Reason}}
  Reason:      {{.Reason}}
{{- end}}

{{.URL}}
`,
		HTML: envPage(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>Your access to {{.Customer}}'s environment <strong>{{.Environment}}</strong> ({{.EnvKind}}) expires on <strong>{{.Expired}}</strong>.
If you still need it after that date, ask for it again through an access request.</p>
` + facts(fact("Environment", "{{.Customer}} – {{.Environment}} ({{.EnvKind}})")+fact("Access", "{{.Access}}")+
			fact("Expires", "{{.Expired}}")+"{{if .Author}}"+fact("Granted by", "{{.Author}}")+"{{end}}"+
			"{{if .Reason}}"+fact("Reason", "{{.Reason}}")+"{{end}}")),
	},
	KindProjectItemDue: {
		Subject: `{{.Project}}: "{{.Item}}" is due on {{.Due}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

A checklist item of the project {{.Project}} that {{.Customer}} owes is due on {{.Due}}.
Please give its evidence (a text or files) on the project's page before that day.

  Project: {{.Project}}
  Phase:   {{.Phase}}
  Item:    {{.Item}}
  Due:     {{.Due}}

{{.URL}}
`,
		HTML: projectPage(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>A checklist item of the project <strong>{{.Project}}</strong> that {{.Customer}} owes is due on <strong>{{.Due}}</strong>.
Please give its evidence (a text or files) on the project's page before that day.</p>
` + facts(fact("Project", "{{.Project}}")+fact("Phase", "{{.Phase}}")+fact("Item", "{{.Item}}")+fact("Due", "{{.Due}}"))),
	},
	KindProjectItemLate: {
		Subject: `{{.Project}}: "{{.Item}}" is late (due on {{.Due}})`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

A checklist item of the project {{.Project}} that {{.Customer}} owes was due on {{.Due}} and is still waiting.
The project cannot move on without it: please give its evidence on the project's page, or tell us in a comment when you can.

  Project: {{.Project}}
  Phase:   {{.Phase}}
  Item:    {{.Item}}
  Due:     {{.Due}}

{{.URL}}
`,
		HTML: projectPage(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>A checklist item of the project <strong>{{.Project}}</strong> that {{.Customer}} owes was due on <strong>{{.Due}}</strong> and is still waiting.
The project cannot move on without it: please give its evidence on the project's page, or tell us in a comment when you can.</p>
` + facts(fact("Project", "{{.Project}}")+fact("Phase", "{{.Phase}}")+fact("Item", "{{.Item}}")+fact("Due", "{{.Due}}"))),
	},
	KindMonthlyReport: {
		Subject: `Service report {{.Month}} — {{.Customer}}`,
		Text: `{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}

Here is the service report of {{.Customer}} for {{.Month}}:

  Tickets created:          {{.Created}}
  Tickets resolved:         {{.Resolved}}
  Still open at month end:  {{.OpenAtEnd}}
{{- if .SLA}}
  SLA targets met:          {{.SLA}}
{{- end}}
{{- if .Availability}}
  Availability (production): {{.Availability}}
{{- end}}
{{- if .Satisfaction}}
  Satisfaction:             {{.Satisfaction}} ({{.Answers}} answers)
{{- end}}
  Open actions:             {{.OpenActions}}

The full report — tickets, SLA compliance by severity, availability, deployments and actions —
is in your portal, ready to print:
{{.URL}}

The support team
`,
		HTML: reportPage(`<p>{{if .Recipient}}Hello {{.Recipient}},{{else}}Hello,{{end}}</p>
<p>Here is the service report of <strong>{{.Customer}}</strong> for <strong>{{.Month}}</strong>.</p>
` + facts(fact("Tickets created", "{{.Created}}")+fact("Tickets resolved", "{{.Resolved}}")+fact("Still open at month end", "{{.OpenAtEnd}}")+
			`{{if .SLA}}`+fact("SLA targets met", "{{.SLA}}")+`{{end}}{{if .Availability}}`+fact("Availability (production)", "{{.Availability}}")+
			`{{end}}{{if .Satisfaction}}`+fact("Satisfaction", "{{.Satisfaction}} ({{.Answers}} answers)")+`{{end}}`+
			fact("Open actions", "{{.OpenActions}}")) +
			`<p>The full report — tickets, SLA compliance by severity, availability, deployments and actions — is in your portal, ready to print: <a href="{{.URL}}">open the report</a>.</p>
<p>The support team</p>
`),
	},
}

// envPage wraps the body of an environment mail's HTML template: page without a ticket number.
func envPage(body string) string {
	return `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Environment}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">
` + body + `{{if .URL}}<p style="margin-top: 24px; font-size: 12px; color: #59636e;"><a href="{{.URL}}">{{.URL}}</a></p>{{end}}
</body>
</html>
`
}
