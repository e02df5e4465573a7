package i18n

// frResolution is the French catalog of resolving a ticket (summary, cause codes) and the knowledge-base rule at closure.
var frResolution = map[string]string{
	"nav.causes":         "Codes de cause",
	"ticket.field.cause": "Cause",

	"resolve.legend":              "Résolution",
	"resolve.only_when_resolving": "À remplir quand le nouveau statut est Résolu.",
	"resolve.summary":             "Résumé de la résolution",
	"resolve.summary_hint":        "Ce qui a été fait, dans des mots que le client lit : il lui est envoyé.",
	"resolve.cause":               "Cause",
	"resolve.cause_hint":          "Interne : le client ne la voit pas ; les indicateurs la comptent.",
	"resolve.choose_cause":        "Choisir une cause…",
	"resolve.draft_article":       "Créer un brouillon d'article de la base de connaissances à partir de ce ticket",
	"resolve.kb_required_hint":    "Les tickets de cette sévérité sont consignés dans la base de connaissances : liez un article, ou cochez cette case.",
	"resolve.box_title":           "Résolution et base de connaissances",
	"resolve.kb_title":            "Consigner ce cas dans la base de connaissances",
	"resolve.kb_none":             "Aucun article n'est encore lié à ce ticket.",
	"resolve.create_draft":        "Créer un brouillon d'article à partir de ce ticket",
	"resolve.err_summary":         "Rédigez un résumé de la résolution : ce qui a été fait, dans des mots que le client lit.",
	"resolve.err_summary_long":    "Le résumé est trop long (10 000 caractères au plus).",
	"resolve.err_not_resolving":   "Une résolution ne s'enregistre que si le nouveau statut est Résolu.",
	"resolve.err_cause":           "Choisissez une cause dans la liste.",
	"resolve.err_article":         "Un ticket bloquant est consigné dans la base de connaissances : liez un article ou créez un brouillon.",

	"cause.list_title":           "Codes de cause",
	"cause.intro":                "Les causes parmi lesquelles les agents choisissent en résolvant un ticket. Retirez une cause plutôt que de la supprimer : les tickets résolus gardent la leur. Les clients ne voient jamais les causes.",
	"cause.add":                  "Ajouter un code de cause",
	"cause.edit_title":           "Code de cause %s",
	"cause.active":               "Proposée à la résolution",
	"severity.kb_required":       "La résolution exige un article de la base de connaissances",
	"severity.kb_required_short": "Base de connaissances",
}
