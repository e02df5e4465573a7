package i18n

// frDemo is the banner of a database filled by `opsdesk demo`.
var frDemo = map[string]string{
	"demo.banner":      "Données de démonstration — clients, demandes et chiffres de cette page ont été générés par la commande opsdesk demo.",
	"demo.banner.hint": "N'y saisissez aucune information réelle ; utilisez un répertoire de données neuf en production.",
}
