package i18n

// frMyProjects holds the customer portal's project pages (/my-projects) and the project reminder
// mails' template names and fields.
var frMyProjects = map[string]string{
	"nav.my_projects": "Projets",

	"myproj.list_title":        "Projets",
	"myproj.projects_title":    "Vos projets",
	"myproj.none":              "Votre organisation n'a pas encore de projet avec nous.",
	"myproj.owed_title":        "Ce que nous attendons de vous",
	"myproj.owed_none":         "Rien : tous les éléments attendus de votre côté sont fournis, validés ou dispensés.",
	"myproj.late":              "en retard",
	"myproj.progress":          "%d sur %d terminées",
	"myproj.intro":             "Les éléments attendus de votre côté se soumettent ici, avec un texte et des fichiers ; l'équipe de l'éditeur les examine. Un élément validé ne change plus.",
	"myproj.phase_closed":      "close",
	"myproj.no_items":          "Aucun élément dans cette phase.",
	"myproj.evidence_hint":     "Ce que vous fournissez pour cet élément : réponses, références, liens. Des fichiers peuvent être ajoutés ci-dessous.",
	"myproj.evidence_required": "donnez un texte ou au moins un fichier",
	"myproj.submit":            "Soumettre",
	"myproj.comment":           "Commenter",
	"myproj.frozen":            "Cet élément est terminé : il ne change plus.",
	"done.myproj_submitted":    "Élément soumis : l'équipe de l'éditeur va l'examiner.",
	"done.myproj_commented":    "Commentaire ajouté.",

	"myproj.f.item":          "Élément",
	"myproj.f.project":       "Projet",
	"myproj.f.phase":         "Phase",
	"myproj.f.due":           "Échéance",
	"myproj.f.status":        "Statut",
	"myproj.f.current_phase": "Phase en cours",
	"myproj.f.progress":      "Phases",
	"myproj.f.target":        "Date cible",
	"myproj.f.manager":       "Chef de projet",
	"myproj.f.start":         "Début",
	"myproj.f.owner":         "Attendu de",
	"myproj.f.evidence":      "Justificatif",
	"myproj.f.submitted":     "Soumis",
	"myproj.f.files":         "Fichiers",
	"myproj.f.comment":       "Commentaire",

	"myproj.side.customer": "votre organisation",
	"myproj.side.vendor":   "l'éditeur",

	"myproj.item_status.todo":      "à faire",
	"myproj.item_status.submitted": "soumis",
	"myproj.item_status.validated": "validé",
	"myproj.item_status.waived":    "dispensé",

	"myproj.status.on_track": "dans les temps",
	"myproj.status.at_risk":  "à risque",
	"myproj.status.late":     "en retard",
	"myproj.status.done":     "terminé",

	// Les mails de rappel (paquet notify, project_reminders.go).
	"tpl.kind.project_item_due":  "Élément de projet bientôt dû (contacts du client)",
	"tpl.kind.project_item_late": "Élément de projet en retard (contacts du client)",
	"tpl.field.Project":          "project_item_due, project_item_late : le nom du projet",
	"tpl.field.Phase":            "project_item_due, project_item_late : la phase de l'élément, dans la langue du mail",
	"tpl.field.Item":             "project_item_due, project_item_late : le titre de l'élément, dans la langue du mail",
	"tpl.field.Due":              "project_item_due, project_item_late : l'échéance de l'élément, 2027-03-06",
}
