package demo

import "github.com/opsdesk/opsdesk/internal/opsdesk"

// text is a sentence in the two languages; the customer's language picks one.
type text struct{ fr, en string }

func (t text) in(l opsdesk.Lang) string {
	if l == opsdesk.LangFR {
		return t.fr
	}
	return t.en
}

// scenario is a kind of request a software vendor's support receives, with what is said about
// it along the way.
type scenario struct {
	category   string
	severities []string // the severities it is filed at
	subject    text
	body       text
	impact     text // for blocking requests
	question   text // the agent's question when waiting for the customer
	answer     text // the customer's answer
	fix        text // the resolution summary
	cause      string
	article    int // index in kbSpecs of the article that solves it; -1 none
}

var scenarios = []scenario{
	{"application", []string{"blocking", "major"},
		text{"Connexion impossible pour tous les utilisateurs", "Nobody can log in"},
		text{"Depuis 8 h 30, la page de connexion renvoie « Erreur interne » pour tous nos agents.", "Since 8:30 the login page answers \"Internal error\" for all our staff."},
		text{"Tous les agents d'accueil sont bloqués", "All front-office staff are blocked"},
		text{"Pouvez-vous nous transmettre l'heure exacte et un identifiant concerné ?", "Could you send us the exact time and one affected user name?"},
		text{"Vers 8 h 32, par exemple pour l'utilisateur mdupont.", "Around 8:32, for instance for the user jsmith."},
		text{"Le service d'authentification a été redémarré et sa file de sessions purgée.", "The authentication service was restarted and its session queue purged."},
		"infrastructure", 0},
	{"application", []string{"major", "minor"},
		text{"Rapport mensuel très lent", "Monthly report very slow"},
		text{"Le rapport des encaissements met plus de 20 minutes à s'afficher depuis lundi.", "The collections report has taken over 20 minutes to show since Monday."},
		text{"", ""},
		text{"Sur quelle période lancez-vous le rapport ?", "Which period do you run the report on?"},
		text{"Sur le mois précédent, tous établissements.", "The previous month, all branches."},
		text{"Un index manquant sur la table des écritures a été recréé ; le rapport s'affiche en 40 secondes.", "A missing index on the postings table was recreated; the report now shows in 40 seconds."},
		"defect", 1},
	{"integration", []string{"blocking", "major", "minor"},
		text{"Le flux d'import des commandes échoue chaque nuit", "Nightly order import fails"},
		text{"Le batch d'import des commandes s'arrête en erreur depuis trois nuits (code 137).", "The order import batch has stopped with an error for three nights (code 137)."},
		text{"Les commandes de la veille ne sont pas facturées", "Yesterday's orders are not invoiced"},
		text{"Le fichier déposé cette nuit est-il disponible ?", "Is last night's file still available?"},
		text{"Oui, il est toujours sur le serveur SFTP.", "Yes, it is still on the SFTP server."},
		text{"Le batch manquait de mémoire ; la limite a été relevée et les lots rejoués.", "The batch ran out of memory; its limit was raised and the batches replayed."},
		"configuration", 4},
	{"infrastructure", []string{"major", "minor"},
		text{"Certificat du site bientôt expiré", "Site certificate about to expire"},
		text{"Le navigateur signale que le certificat de l'extranet expire dans 10 jours.", "The browser warns that the extranet's certificate expires in 10 days."},
		text{"", ""},
		text{"Qui signe les certificats chez vous ?", "Who signs certificates on your side?"},
		text{"Notre équipe sécurité, contact transmis par mail.", "Our security team, contact sent by mail."},
		text{"Le certificat a été renouvelé pour un an et installé sur les deux proxys.", "The certificate was renewed for a year and installed on both proxies."},
		"infrastructure", 3},
	{"integration", []string{"major", "minor", "question"},
		text{"Erreur 401 sur l'API de facturation", "401 errors on the billing API"},
		text{"Notre ERP reçoit des erreurs 401 sur tous les appels depuis ce matin.", "Our ERP gets 401 errors on every call since this morning."},
		text{"", ""},
		text{"Avez-vous régénéré le jeton après la rotation des clés ?", "Did you generate the token again after the key rotation?"},
		text{"Non, c'est fait maintenant, merci.", "No, done now, thanks."},
		text{"Le jeton du compte technique a été régénéré après la rotation des clés.", "The service account's token was generated again after the key rotation."},
		"usage", 2},
	{"mobile", []string{"minor", "major"},
		text{"L'application mobile se ferme à l'ouverture", "Mobile app closes at start-up"},
		text{"Sur Android 14, l'application se ferme dès l'écran d'accueil pour plusieurs techniciens.", "On Android 14 the app closes on the home screen for several field technicians."},
		text{"", ""},
		text{"Pouvez-vous nous indiquer la version de l'application installée ?", "Which version of the app is installed?"},
		text{"La 3.8.1, installée par le store.", "3.8.1, from the store."},
		text{"Corrigé dans la version 3.8.2 publiée ce jour.", "Fixed in version 3.8.2, published today."},
		"defect", -1},
	{"application", []string{"question"},
		text{"Comment exporter la liste des comptes clients ?", "How do I export the customer account list?"},
		text{"Nous souhaitons exporter la liste des comptes clients au format CSV pour notre audit.", "We would like to export the customer account list as CSV for our audit."},
		text{"", ""},
		text{"Souhaitez-vous toutes les colonnes ou une sélection ?", "Do you need every column or a selection?"},
		text{"Toutes les colonnes.", "Every column."},
		text{"L'export se fait depuis Comptes > Actions > Exporter ; procédure envoyée.", "The export is under Accounts > Actions > Export; steps sent."},
		"usage", -1},
	{"security", []string{"question", "minor"},
		text{"Création de comptes pour trois nouveaux collaborateurs", "Accounts for three new starters"},
		text{"Merci de créer les comptes de trois collaborateurs arrivant lundi (liste jointe).", "Please create accounts for three people starting on Monday (list attached)."},
		text{"", ""},
		text{"Quel profil de droits faut-il leur attribuer ?", "Which rights profile should they get?"},
		text{"Le profil « Gestionnaire ».", "The \"Case handler\" profile."},
		text{"Les trois comptes ont été créés avec le profil demandé.", "The three accounts were created with the requested profile."},
		"usage", -1},
	{"application", []string{"evolution"},
		text{"Ajouter un filtre par agence dans le tableau de bord", "Add a branch filter to the dashboard"},
		text{"Nos responsables d'agence voudraient filtrer le tableau de bord sur leur agence.", "Our branch managers would like to filter the dashboard on their branch."},
		text{"", ""},
		text{"Combien d'agences sont concernées ?", "How many branches are concerned?"},
		text{"Douze agences.", "Twelve branches."},
		text{"Le filtre par agence est livré dans la version 4.2.", "The branch filter ships in release 4.2."},
		"change", -1},
	{"database", []string{"major", "minor"},
		text{"Doublons dans les écritures comptables", "Duplicate accounting entries"},
		text{"Nous trouvons des écritures en double après la clôture de la journée du 12.", "We find duplicate entries after the day close of the 12th."},
		text{"", ""},
		text{"Pouvez-vous nous envoyer deux numéros d'écriture en double ?", "Could you send two duplicated entry numbers?"},
		text{"EC-448812 et EC-448813.", "EC-448812 and EC-448813."},
		text{"Le traitement de clôture a été rejoué après suppression des doublons.", "The day close was replayed after removing the duplicates."},
		"data", 4},
}

// agentReplies are first answers of an agent, by language.
var agentReplies = []text{
	{"Bonjour, nous prenons en charge votre demande et revenons vers vous rapidement.", "Hello, we are looking into your request and will come back to you shortly."},
	{"Bonjour, merci pour ces éléments, nous analysons les journaux.", "Hello, thanks for the details, we are going through the logs."},
	{"Bonjour, nous reproduisons le problème sur l'environnement de recette.", "Hello, we are reproducing the issue on the test environment."},
}

// internalNotes are notes between agents, in the language of the customer's file.
var internalNotes = []text{
	{"Vu avec l'équipe hébergement : pas d'alerte côté supervision à cette heure-là.", "Checked with hosting: no monitoring alert at that time."},
	{"Même symptôme que la semaine dernière chez un autre client, voir le problème ouvert.", "Same symptom as last week at another customer, see the open problem."},
	{"Journaux applicatifs récupérés, pic de requêtes lentes à 9 h 05.", "Application logs collected: a peak of slow queries at 9:05."},
}

// surveyComments are what customers write in their satisfaction answers, by rating.
var surveyComments = map[int]text{
	5: {"Très réactif, merci !", "Very quick, thank you!"},
	4: {"Bien, un peu long à démarrer.", "Good, a bit slow to start."},
	3: {"Résolu, mais il a fallu relancer.", "Solved, but we had to chase."},
	2: {"Trop long pour un problème bloquant.", "Far too long for a blocking issue."},
	1: {"Toujours pas satisfait de la solution.", "Still not happy with the fix."},
}

// workarounds are what agents tell customers to do while the fix is prepared.
var workarounds = []text{
	{"Relancez le service depuis la console d'administration ; il reprend en deux minutes.", "Restart the service from the admin console; it is back within two minutes."},
	{"Utilisez l'export planifié de la nuit en attendant le correctif.", "Use the nightly scheduled export until the fix is out."},
	{"Le traitement peut être relancé manuellement lot par lot depuis l'écran Traitements.", "The job can be restarted by hand batch by batch from the Jobs screen."},
}
