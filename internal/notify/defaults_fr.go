package notify

import "github.com/opsdesk/opsdesk/internal/store"

var defaultsFR = map[Kind]store.MailTemplate{
	KindAck: {
		Subject: `[{{.Number}}] {{.Subject}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Nous avons bien reçu votre demande et l'avons enregistrée sous le numéro {{.Number}}.

  Objet :    {{.Subject}}
  Sévérité : {{.Severity}}
{{- if .HandlingTime}}
  Prise en charge sous : {{.HandlingTime}}
{{- end}}

Un ingénieur reviendra vers vous. Pour compléter votre demande, répondez à ce
message (en gardant {{.Number}} dans l'objet), ou suivez-la sur :
{{.URL}}

L'équipe support
`,
		HTML: page(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Nous avons bien reçu votre demande et l'avons enregistrée sous le numéro <strong>{{.Number}}</strong>.</p>
` + facts(fact("Objet", "{{.Subject}}")+fact("Sévérité", "{{.Severity}}")+
			"{{if .HandlingTime}}"+fact("Prise en charge sous", "{{.HandlingTime}}")+"{{end}}") +
			`<p>Un ingénieur reviendra vers vous. Pour compléter votre demande, répondez à ce message (en gardant {{.Number}} dans l'objet),
ou suivez <a href="{{.URL}}">votre demande</a>.</p>
<p>L'équipe support</p>
`),
	},
	KindReply: {
		Subject: `Re: [{{.Number}}] {{.Subject}}`,
		Text: `{{.Body}}

-- 
{{if .Author}}{{.Author}}, équipe support{{else}}L'équipe support{{end}}
{{.Number}} : {{.URL}}
`,
		HTML: page(`<div style="white-space: pre-wrap;">{{.Body}}</div>
<p>-- <br>{{if .Author}}{{.Author}}, équipe support{{else}}L'équipe support{{end}}</p>
`),
	},
	KindWaiting: {
		Subject: `Re: [{{.Number}}] {{.Subject}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Pour poursuivre le traitement de votre demande {{.Number}}, nous avons besoin
d'informations de votre part.
{{- if .Reason}}

{{.Reason}}
{{- end}}

Merci de répondre à ce message, ou sur la page de votre demande :
{{.URL}}

Votre demande est en attente de votre réponse et reprend dès que vous répondez.

L'équipe support
`,
		HTML: page(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Pour poursuivre le traitement de votre demande <strong>{{.Number}}</strong>, nous avons besoin d'informations de votre part.</p>
{{if .Reason}}<div style="white-space: pre-wrap; margin: 12px 0;">{{.Reason}}</div>
{{end}}<p>Merci de répondre à ce message, ou sur <a href="{{.URL}}">la page de votre demande</a>.
Votre demande est en attente de votre réponse et reprend dès que vous répondez.</p>
<p>L'équipe support</p>
`),
	},
	KindResolved: {
		Subject: `Re: [{{.Number}}] {{.Subject}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Votre demande {{.Number}} (« {{.Subject}} ») est résolue.
{{- if .Summary}}

{{.Summary}}
{{- end}}
{{- if and .Reason (ne .Reason .Summary)}}

{{.Reason}}
{{- end}}
{{- if .SurveyYes}}

Le problème est-il réglé ? Un clic suffit, sans identifiant :

  Oui, c'est réglé :    {{.SurveyYes}}
  Non, ça ne l'est pas : {{.SurveyNo}}

Vous pouvez aussi répondre sur la page de la demande :
{{.URL}}
{{- else}}

Merci de confirmer que le problème est réglé — ou de rouvrir la demande s'il ne
l'est pas — sur sa page :
{{.URL}}
{{- end}}

Sans réponse de votre part, la demande sera clôturée.

L'équipe support
`,
		HTML: page(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Votre demande <strong>{{.Number}}</strong> (« {{.Subject}} ») est résolue.</p>
{{if .Summary}}<div style="white-space: pre-wrap; margin: 12px 0;">{{.Summary}}</div>
{{end}}{{if and .Reason (ne .Reason .Summary)}}<div style="white-space: pre-wrap; margin: 12px 0;">{{.Reason}}</div>
{{end}}{{if .SurveyYes}}<p>Le problème est-il réglé ?</p>
<p><a href="{{.SurveyYes}}" style="display: inline-block; padding: 8px 14px; margin-right: 8px; background: #1f7a3f; color: #ffffff; text-decoration: none; border-radius: 4px;">Oui, c'est réglé</a>
<a href="{{.SurveyNo}}" style="display: inline-block; padding: 8px 14px; background: #a33a2c; color: #ffffff; text-decoration: none; border-radius: 4px;">Non, ça ne l'est pas</a></p>
<p>Sans identifiant. Vous pouvez aussi répondre sur <a href="{{.URL}}">la page de la demande</a>.
Sans réponse de votre part, la demande sera clôturée.</p>
{{else}}<p><a href="{{.URL}}">Merci de confirmer que le problème est réglé</a> — ou de rouvrir la demande s'il ne l'est pas.
Sans réponse de votre part, la demande sera clôturée.</p>
{{end}}<p>L'équipe support</p>
`),
	},
	KindAgentNew: {
		Subject: `[{{.Number}}] {{if .Escalated}}Escaladé en {{.Level}}{{else}}Nouveau en {{.Level}}{{end}} ({{.Severity}}) : {{.Subject}}`,
		Text: `{{if .Escalated}}{{.Number}} a été escaladé en {{.Level}}{{if .Author}} par {{.Author}}{{end}}.{{if .Reason}}
Motif : {{.Reason}}{{end}}{{else}}Un nouveau ticket est dans la file {{.Level}}.{{end}}

  Client :     {{.Customer}}
  Demandeur :  {{.Requester}}
  Sévérité :   {{.Severity}}
  Objet :      {{.Subject}}
{{- if .HandlingTime}}
  À prendre en charge sous : {{.HandlingTime}}
{{- end}}
{{- if .Body}}

{{.Body}}
{{- end}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Escalated}}<strong>{{.Number}}</strong> a été escaladé en {{.Level}}{{if .Author}} par {{.Author}}{{end}}.{{if .Reason}}<br>Motif : {{.Reason}}{{end}}{{else}}Un nouveau ticket est dans la file {{.Level}}.{{end}}</p>
` + facts(fact("Client", "{{.Customer}}")+fact("Demandeur", "{{.Requester}}")+fact("Sévérité", "{{.Severity}}")+
			fact("Objet", "{{.Subject}}")+"{{if .HandlingTime}}"+fact("À prendre en charge sous", "{{.HandlingTime}}")+"{{end}}") +
			`{{if .Body}}` + quoted + `{{end}}`),
	},
	KindAgentAssigned: {
		Subject: `[{{.Number}}] Assigné à vous : {{.Subject}}`,
		Text: `{{if .Author}}{{.Author}} vous a assigné {{.Number}}{{else}}{{.Number}} vous a été assigné{{end}}.
{{- if .Reason}}
Motif : {{.Reason}}
{{- end}}

  Client :     {{.Customer}}
  Demandeur :  {{.Requester}}
  Sévérité :   {{.Severity}}
  Objet :      {{.Subject}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Author}}{{.Author}} vous a assigné <strong>{{.Number}}</strong>{{else}}<strong>{{.Number}}</strong> vous a été assigné{{end}}.{{if .Reason}}<br>Motif : {{.Reason}}{{end}}</p>
` + facts(fact("Client", "{{.Customer}}")+fact("Demandeur", "{{.Requester}}")+fact("Sévérité", "{{.Severity}}")+
			fact("Objet", "{{.Subject}}"))),
	},
	KindSLAWarning: {
		Subject: `[{{.Number}}] SLA menacé ({{.Clock}}) : {{.Subject}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

{{.Number}} risque de dépasser son objectif de {{.Clock}} ({{.Target}}){{if .Deadline}} : l'échéance est le {{.Deadline}}{{end}}.

  Client :     {{.Customer}}
  Sévérité :   {{.Severity}}
  Niveau :     {{.Level}}
  Objet :      {{.Subject}}
  Objectif :   {{.Clock}}, {{.Target}}
{{- if .Deadline}}
  Échéance :   {{.Deadline}}
{{- end}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p><strong>{{.Number}}</strong> risque de dépasser son objectif de {{.Clock}} ({{.Target}}){{if .Deadline}} : l'échéance est le <strong>{{.Deadline}}</strong>{{end}}.</p>
` + facts(fact("Client", "{{.Customer}}")+fact("Sévérité", "{{.Severity}}")+fact("Niveau", "{{.Level}}")+
			fact("Objet", "{{.Subject}}")+fact("Objectif", "{{.Clock}}, {{.Target}}")+"{{if .Deadline}}"+fact("Échéance", "{{.Deadline}}")+"{{end}}")),
	},
	KindSLABreach: {
		Subject: `[{{.Number}}] SLA dépassé ({{.Clock}}){{if .Escalated}}, escaladé en {{.Level}}{{end}} : {{.Subject}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

{{.Number}} a dépassé son objectif de {{.Clock}} ({{.Target}}){{if .Deadline}} : l'échéance était le {{.Deadline}}{{end}}.
{{- if .Escalated}}
Le ticket a été escaladé en {{.Level}}.
{{- end}}

  Client :     {{.Customer}}
  Sévérité :   {{.Severity}}
  Niveau :     {{.Level}}
  Objet :      {{.Subject}}
  Objectif :   {{.Clock}}, {{.Target}}
{{- if .Deadline}}
  Échéance :   {{.Deadline}}
{{- end}}

{{.URL}}
`,
		HTML: page(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p><strong>{{.Number}}</strong> a dépassé son objectif de {{.Clock}} ({{.Target}}){{if .Deadline}} : l'échéance était le <strong>{{.Deadline}}</strong>{{end}}.{{if .Escalated}}<br>Le ticket a été escaladé en <strong>{{.Level}}</strong>.{{end}}</p>
` + facts(fact("Client", "{{.Customer}}")+fact("Sévérité", "{{.Severity}}")+fact("Niveau", "{{.Level}}")+
			fact("Objet", "{{.Subject}}")+fact("Objectif", "{{.Clock}}, {{.Target}}")+"{{if .Deadline}}"+fact("Échéance", "{{.Deadline}}")+"{{end}}")),
	},
	KindMaintenance: {
		Subject: `{{if .EnvKind}}[{{.EnvKind}}] {{end}}Maintenance planifiée de {{.Environment}} : {{.Starts}} – {{.Ends}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Une maintenance de votre environnement {{.Environment}} ({{.EnvKind}}) est planifiée :

  Début : {{.Starts}}
  Fin :   {{.Ends}}
  Objet : {{.Subject}}
{{- if .Body}}

{{.Body}}
{{- end}}

Le service peut être interrompu pendant cette fenêtre. Si cette date vous pose problème,
merci de répondre à ce message.

L'équipe support
`,
		HTML: envPage(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Une maintenance de votre environnement <strong>{{.Environment}}</strong> ({{.EnvKind}}) est planifiée.</p>
` + facts(fact("Début", "{{.Starts}}")+fact("Fin", "{{.Ends}}")+fact("Objet", "{{.Subject}}")) +
			`{{if .Body}}` + quoted + `{{end}}<p>Le service peut être interrompu pendant cette fenêtre. Si cette date vous pose problème, merci de répondre à ce message.</p>
<p>L'équipe support</p>
`),
	},
	KindAccessExpired: {
		Subject: `Accès expiré, à révoquer : {{.Holder}} – {{.Access}} sur {{.Customer}} {{.Environment}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

{{if .ForHolder}}Votre accès{{else}}L'accès de {{.Holder}}{{end}} à l'environnement {{.Environment}} ({{.EnvKind}}) de {{.Customer}} a expiré le {{.Expired}} et n'est pas encore révoqué.
{{- if .ForHolder}} Merci de le rendre, ou de faire une nouvelle demande d'accès.{{else}} Merci de le faire révoquer, ou renouveler par une demande d'accès.{{end}}

  Titulaire :     {{.Holder}}
  Environnement : {{.Customer}} – {{.Environment}} ({{.EnvKind}})
  Accès :         {{.Access}}
  Expiré le :     {{.Expired}}
{{- if .Author}}
  Accordé par :   {{.Author}}
{{- end}}
{{- if .Reason}}
  Motif :         {{.Reason}}
{{- end}}

{{.URL}}
`,
		HTML: envPage(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>{{if .ForHolder}}Votre accès{{else}}L'accès de <strong>{{.Holder}}</strong>{{end}} à l'environnement <strong>{{.Environment}}</strong> ({{.EnvKind}}) de {{.Customer}} a expiré le <strong>{{.Expired}}</strong> et n'est pas encore révoqué.
{{if .ForHolder}}Merci de le rendre, ou de faire une nouvelle demande d'accès.{{else}}Merci de le faire révoquer, ou renouveler par une demande d'accès.{{end}}</p>
` + facts(fact("Titulaire", "{{.Holder}}")+fact("Environnement", "{{.Customer}} – {{.Environment}} ({{.EnvKind}})")+fact("Accès", "{{.Access}}")+
			fact("Expiré le", "{{.Expired}}")+"{{if .Author}}"+fact("Accordé par", "{{.Author}}")+"{{end}}"+
			"{{if .Reason}}"+fact("Motif", "{{.Reason}}")+"{{end}}")),
	},
	KindAccessExpiry: {
		Subject: `Votre accès {{.Access}} à {{.Customer}} {{.Environment}} expire le {{.Expired}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Votre accès à l'environnement {{.Environment}} ({{.EnvKind}}) de {{.Customer}} expire le {{.Expired}}.
Si vous en avez encore besoin après cette date, faites une nouvelle demande d'accès.

  Environnement : {{.Customer}} – {{.Environment}} ({{.EnvKind}})
  Accès :         {{.Access}}
  Expire le :     {{.Expired}}
{{- if .Author}}
  Accordé par :   {{.Author}}
{{- end}}
{{- if .Reason}}
  Motif :         {{.Reason}}
{{- end}}

{{.URL}}
`,
		HTML: envPage(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Votre accès à l'environnement <strong>{{.Environment}}</strong> ({{.EnvKind}}) de {{.Customer}} expire le <strong>{{.Expired}}</strong>.
Si vous en avez encore besoin après cette date, faites une nouvelle demande d'accès.</p>
` + facts(fact("Environnement", "{{.Customer}} – {{.Environment}} ({{.EnvKind}})")+fact("Accès", "{{.Access}}")+
			fact("Expire le", "{{.Expired}}")+"{{if .Author}}"+fact("Accordé par", "{{.Author}}")+"{{end}}"+
			"{{if .Reason}}"+fact("Motif", "{{.Reason}}")+"{{end}}")),
	},
	KindProjectItemDue: {
		Subject: `{{.Project}} : « {{.Item}} » attendu pour le {{.Due}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Un élément de la liste du projet {{.Project}} attendu de {{.Customer}} est dû pour le {{.Due}}.
Merci d'en fournir le justificatif (un texte ou des fichiers) sur la page du projet avant cette date.

  Projet :  {{.Project}}
  Phase :   {{.Phase}}
  Élément : {{.Item}}
  Pour le : {{.Due}}

{{.URL}}
`,
		HTML: projectPage(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Un élément de la liste du projet <strong>{{.Project}}</strong> attendu de {{.Customer}} est dû pour le <strong>{{.Due}}</strong>.
Merci d'en fournir le justificatif (un texte ou des fichiers) sur la page du projet avant cette date.</p>
` + facts(fact("Projet", "{{.Project}}")+fact("Phase", "{{.Phase}}")+fact("Élément", "{{.Item}}")+fact("Pour le", "{{.Due}}"))),
	},
	KindProjectItemLate: {
		Subject: `{{.Project}} : « {{.Item}} » en retard (attendu le {{.Due}})`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Un élément de la liste du projet {{.Project}} attendu de {{.Customer}} était dû le {{.Due}} et n'est toujours pas fourni.
Le projet ne peut pas avancer sans lui : merci d'en fournir le justificatif sur la page du projet, ou de nous indiquer en commentaire quand vous le pourrez.

  Projet :  {{.Project}}
  Phase :   {{.Phase}}
  Élément : {{.Item}}
  Dû le :   {{.Due}}

{{.URL}}
`,
		HTML: projectPage(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Un élément de la liste du projet <strong>{{.Project}}</strong> attendu de {{.Customer}} était dû le <strong>{{.Due}}</strong> et n'est toujours pas fourni.
Le projet ne peut pas avancer sans lui : merci d'en fournir le justificatif sur la page du projet, ou de nous indiquer en commentaire quand vous le pourrez.</p>
` + facts(fact("Projet", "{{.Project}}")+fact("Phase", "{{.Phase}}")+fact("Élément", "{{.Item}}")+fact("Dû le", "{{.Due}}"))),
	},
	KindMonthlyReport: {
		Subject: `Rapport de service {{.Month}} — {{.Customer}}`,
		Text: `{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}

Voici le rapport de service de {{.Customer}} pour {{.Month}} :

  Tickets créés :               {{.Created}}
  Tickets résolus :             {{.Resolved}}
  Encore ouverts en fin de mois : {{.OpenAtEnd}}
{{- if .SLA}}
  Engagements SLA tenus :       {{.SLA}}
{{- end}}
{{- if .Availability}}
  Disponibilité (production) :  {{.Availability}}
{{- end}}
{{- if .Satisfaction}}
  Satisfaction :                {{.Satisfaction}} ({{.Answers}} réponses)
{{- end}}
  Actions en cours :            {{.OpenActions}}

Le rapport complet — tickets, respect des SLA par sévérité, disponibilité, déploiements et
actions — est dans votre portail, prêt à imprimer :
{{.URL}}

L'équipe support
`,
		HTML: reportPage(`<p>{{if .Recipient}}Bonjour {{.Recipient}},{{else}}Bonjour,{{end}}</p>
<p>Voici le rapport de service de <strong>{{.Customer}}</strong> pour <strong>{{.Month}}</strong>.</p>
` + facts(fact("Tickets créés", "{{.Created}}")+fact("Tickets résolus", "{{.Resolved}}")+fact("Encore ouverts en fin de mois", "{{.OpenAtEnd}}")+
			`{{if .SLA}}`+fact("Engagements SLA tenus", "{{.SLA}}")+`{{end}}{{if .Availability}}`+fact("Disponibilité (production)", "{{.Availability}}")+
			`{{end}}{{if .Satisfaction}}`+fact("Satisfaction", "{{.Satisfaction}} ({{.Answers}} réponses)")+`{{end}}`+
			fact("Actions en cours", "{{.OpenActions}}")) +
			`<p>Le rapport complet — tickets, respect des SLA par sévérité, disponibilité, déploiements et actions — est dans votre portail, prêt à imprimer : <a href="{{.URL}}">ouvrir le rapport</a>.</p>
<p>L'équipe support</p>
`),
	},
}
