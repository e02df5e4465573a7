package i18n

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// domainFR translates the store's validation and conflict messages users commonly meet. The
// store writes its messages in English and they stay the source of truth: a message missing
// here is shown in English, which is acceptable for rare ones.
var domainFR = map[string]string{
	"is required":                                                                 "est obligatoire",
	"is longer than 200 characters":                                               "dépasse 200 caractères",
	"is longer than 100 characters":                                               "dépasse 100 caractères",
	"must be fr or en":                                                            "doit être fr ou en",
	"only agents have a support level":                                            "seuls les agents ont un niveau de support",
	"an agent needs a support level: N1, N2 or N3":                                "un agent a besoin d'un niveau de support : N1, N2 ou N3",
	"a customer user must belong to a customer organisation":                      "un utilisateur client doit appartenir à une organisation cliente",
	"only customer users belong to a customer organisation":                       "seuls les utilisateurs clients appartiennent à une organisation cliente",
	"must be one of customer, agent, project_manager, ops_manager, admin":         "doit être client, agent, chef de projet, responsable Ops ou administrateur",
	"must be 2 to 20 letters, digits, - or _, starting with a letter (e.g. ACME)": "doit comporter 2 à 20 lettres, chiffres, - ou _, en commençant par une lettre (par exemple ACME)",
	"a contract provides at least one support level":                              "un contrat fournit au moins un niveau de support",
	"must be one of standard, premium, critical":                                  "doit être standard, premium ou critique",
	"must be a date YYYY-MM-DD":                                                   "doit être une date AAAA-MM-JJ",
	"is before starts_on":                                                         "est antérieure à la date de début",
	"must be test, preprod or prod":                                               "doit être test, préproduction ou production",
	"must be an http(s) URL":                                                      "doit être une URL http(s)",
	"must be active, maintenance or retired":                                      "doit être en service, en maintenance ou retiré",
	"no such customer":                                                            "client inconnu",
	"opsdesk needs at least one enabled admin":                                    "opsdesk a besoin d'au moins un administrateur actif",
	"an admin already exists: log in instead":                                     "un administrateur existe déjà : connectez-vous",
	"admins and ops managers only":                                                "réservé aux administrateurs et aux responsables Ops",

	// Tickets.
	"is required: describe what happens and what you expected":       "est obligatoire : décrivez ce qui se passe et ce que vous attendiez",
	"is longer than 250 characters":                                  "dépasse 250 caractères",
	"is longer than 200,000 characters":                              "dépasse 200 000 caractères",
	"nothing to change":                                              "rien à changer",
	"only a resolved request can be confirmed or reopened":           "seule une demande résolue peut être confirmée ou rouverte",
	"customers may only confirm a resolution or reopen a request":    "un client peut seulement confirmer une résolution ou rouvrir une demande",
	"is required: say why the ticket changes level":                  "est obligatoire : dites pourquoi le ticket change de niveau",
	"must be N1, N2 or N3":                                           "doit être N1, N2 ou N3",
	"no such user":                                                   "utilisateur inconnu",
	"must be incident, service_request, access_request or evolution": "doit être incident, demande de service, demande d'accès ou évolution",
	"only agents take tickets":                                       "seuls les agents prennent des tickets en charge",
	"only the vendor's team writes internal notes":                   "seule l'équipe de l'éditeur écrit des notes internes",
	"only the vendor's team escalates":                               "seule l'équipe de l'éditeur escalade",
	"an attachment needs a name and stored content":                  "une pièce jointe a besoin d'un nom et d'un contenu enregistré",
	"must be 2 to 30 lower-case letters, digits or -":                "doit comporter 2 à 30 lettres minuscules, chiffres ou -",
	"a category needs a code and labels in French and English":       "un domaine a besoin d'un code et de libellés en français et en anglais",
	"a severity needs a code and labels in French and English":       "une gravité a besoin d'un code et de libellés en français et en anglais",
	"must be 1 or more (1 is the most severe)":                       "doit valoir 1 ou plus (1 est la plus grave)",

	// Knowledge base and search.
	"a published article is changed by ops managers and admins; ask one to withdraw it to draft": "un article publié est modifié par les responsables Ops et les administrateurs ; demandez à l'un d'eux de le repasser en brouillon",
	"only ops managers and admins publish articles":                                              "seuls les responsables Ops et les administrateurs publient les articles",
	"only ops managers and admins withdraw published articles":                                   "seuls les responsables Ops et les administrateurs retirent un article publié",
	"only the vendor's team edits the knowledge base":                                            "seule l'équipe de l'éditeur modifie la base de connaissances",
	"only the vendor's team links articles to tickets":                                           "seule l'équipe de l'éditeur lie des articles aux tickets",
	"only the vendor's team writes articles":                                                     "seule l'équipe de l'éditeur rédige des articles",
	"revisions are for the vendor's team":                                                        "les révisions sont réservées à l'équipe de l'éditeur",
	"a restricted article names the customers who read it":                                       "un article restreint nomme les clients qui le lisent",
	"only a restricted article names customers":                                                  "seul un article restreint nomme des clients",
	"must be article or procedure":                                                               "doit être un article ou une procédure",
	"the two texts must be in different languages":                                               "les deux textes doivent être dans des langues différentes",
	"must be fr or en, and not a text the change also sets":                                      "doit être fr ou en, et pas un texte que la modification écrit aussi",
	"an article keeps at least one text":                                                         "un article garde au moins un texte",
	"only procedures have steps":                                                                 "seules les procédures ont des étapes",
	"an article has at most a French and an English text":                                        "un article a au plus un texte français et un texte anglais",
	"an article needs a French or an English text":                                               "un article a besoin d'un texte en français ou en anglais",
	"is required: the version of the article you edited":                                         "est obligatoire : la version de l'article que vous avez modifiée",
	"must be internal, customers or restricted":                                                  "doit être interne, clients ou restreint",
	"must be draft, review or published":                                                         "doit être brouillon, en relecture ou publié",
	"must be ticket, article or empty for both":                                                  "doit être ticket, article ou vide pour les deux",
	"is not a cursor this list gave":                                                             "n'est pas un curseur donné par cette liste",
	"choose an article":                                                                          "choisissez un article",
	"choose a step of the procedure":                                                             "choisissez une étape de la procédure",
	"is longer than 2000 characters":                                                             "dépasse 2000 caractères",
	"deflections are counted for customers only":                                                 "les demandes évitées ne sont comptées que pour les clients",
	"a deflection needs the key of the visit (1 to 512 bytes)":                                   "une demande évitée a besoin de la clé de la visite (1 à 512 octets)",

	// Environments, deployments, access, probes.
	"only admins and ops managers configure probes":                                            "seuls les administrateurs et les responsables Ops configurent les sondes",
	"only admins and ops managers set versions by hand; record a deployment instead":           "seuls les administrateurs et les responsables Ops fixent une version à la main ; enregistrez plutôt un déploiement",
	"only ops managers and admins grant access to environments":                                "seuls les responsables Ops et les administrateurs accordent des accès aux environnements",
	"only ops managers and admins record an emergency deployment":                              "seuls les responsables Ops et les administrateurs enregistrent un déploiement d'urgence",
	"only the vendor's team changes environments":                                              "seule l'équipe de l'éditeur modifie les environnements",
	"only the vendor's team records deployments":                                               "seule l'équipe de l'éditeur enregistre les déploiements",
	"the revocation list is for the vendor's team":                                             "la liste des accès à révoquer est réservée à l'équipe de l'éditeur",
	"the twin check is for the vendor's team":                                                  "la comparaison préproduction/production est réservée à l'équipe de l'éditeur",
	"access grants are the vendor's team's records":                                            "les accès accordés sont des fiches de l'équipe de l'éditeur",
	"a HEAD request has no body: use GET":                                                      "une requête HEAD n'a pas de corps : utilisez GET",
	"is longer than 1000 characters":                                                           "dépasse 1 000 caractères",
	"only a deployment to prod needs an emergency reason":                                      "seul un déploiement en production demande un motif d'urgence",
	"must be after starts_at":                                                                  "doit être postérieure au début",
	"must be an HTTP status from 100 to 599":                                                   "doit être un statut HTTP de 100 à 599",
	"is required: every access ends":                                                           "est obligatoire : tout accès prend fin",
	"must be in the future":                                                                    "doit être dans le futur",
	"a deployment that is not finished has no end time":                                        "un déploiement non terminé n'a pas d'heure de fin",
	"is before started_at":                                                                     "est antérieure au début",
	"must be a host name (no spaces or slashes, at most 253 characters)":                       "doit être un nom d'hôte (sans espace ni barre oblique, 253 caractères au plus)",
	"must be a whole number of seconds from 10 to 86400":                                       "doit être un nombre entier de secondes de 10 à 86400",
	"must be one of ssh, vpn, admin_console, database, app_admin, other":                       "doit être ssh, vpn, console d'administration, base de données, administration applicative ou autre",
	"must be GET or HEAD":                                                                      "doit être GET ou HEAD",
	"os and os_version are at most 100 characters, location 200":                               "le système et sa version font au plus 100 caractères, l'emplacement 200",
	"must be in_progress, success, failed or rolled_back":                                      "doit être en cours, réussi, échoué ou annulé",
	"must be planned, in_progress, success, failed or rolled_back":                             "doit être prévu, en cours, réussi, échoué ou annulé",
	"must be one of app, database, proxy, cache, search, batch, other":                         "doit être application, base de données, proxy, cache, recherche, traitements ou autre",
	"must be from 1 to 100 consecutive failures":                                               "doit valoir de 1 à 100 échecs consécutifs",
	"must be from 1 to 60 seconds":                                                             "doit valoir de 1 à 60 secondes",
	"must not exceed the interval":                                                             "ne doit pas dépasser l'intervalle",
	"must be from 0 (never) to 365 days":                                                       "doit valoir de 0 (jamais) à 365 jours",
	"must be an http or https URL without credentials, such as https://app.example.com/health": "doit être une URL http ou https sans identifiants, comme https://app.example.com/health",
	"access is granted to an enabled member of the vendor's team":                              "un accès est accordé à un membre actif de l'équipe de l'éditeur",

	// Resolution, cause codes, survey.
	"cause codes are for the vendor's team":                                                  "les codes de cause sont réservés à l'équipe de l'éditeur",
	"only admins and ops managers change cause codes":                                        "seuls les administrateurs et les responsables Ops modifient les codes de cause",
	"only the customer answers the satisfaction survey":                                      "seul le client répond à l'enquête de satisfaction",
	"a blocking ticket is recorded in the knowledge base: link an article or create a draft": "un ticket bloquant est consigné dans la base de connaissances : liez un article ou créez un brouillon",
	"a cause code is required":                                                               "un code de cause est obligatoire",
	"use 1 to 40 lower-case letters, digits, '-' or '_'":                                     "utilisez 1 à 40 lettres minuscules, chiffres, « - » ou « _ »",
	"is longer than 10,000 characters":                                                       "dépasse 10 000 caractères",
	"is required: say what still goes wrong":                                                 "est obligatoire : dites ce qui ne va toujours pas",
	"is required (at most 100 characters)":                                                   "est obligatoire (100 caractères au plus)",
	"is required: rate the answer from 1 to 5":                                               "est obligatoire : notez la réponse de 1 à 5",
	"must be between 1 and 5":                                                                "doit être compris entre 1 et 5",
	"a resolution summary is required: say what was done, in words the customer reads":       "un résumé de la résolution est obligatoire : dites ce qui a été fait, avec des mots que le client comprend",
	"is recorded only when resolving: set the status to resolved":                            "n'est enregistré qu'à la résolution : passez le statut à « résolu »",
	"is required: say whether the problem is solved":                                         "est obligatoire : dites si le problème est réglé",

	// Steering plan.
	"must be ticket, task or preventive":                     "doit être ticket, tâche ou travail préventif",
	"only an ops manager pins or moves plan items":           "seul un responsable Ops épingle ou déplace les éléments du plan",
	"only an ops manager records absences":                   "seul un responsable Ops enregistre les absences",
	"only an ops manager sets capacities":                    "seul un responsable Ops fixe les capacités",
	"only the vendor's team reads the plan":                  "seule l'équipe de l'éditeur lit le plan",
	"an absence ends before it starts":                       "une absence se termine avant de commencer",
	"must be a day such as 2027-01-07":                       "doit être un jour comme 2027-01-07",
	"must be a day such as 2027-01-12":                       "doit être un jour comme 2027-01-12",
	"must be between 0 and 168 hours":                        "doit être compris entre 0 et 168 heures",
	"must be between 1 and 100":                              "doit être compris entre 1 et 100",
	"must be 1 or more":                                      "doit valoir 1 ou plus",
	"pin the item or give a position of 1 or more, not both": "épinglez l'élément ou donnez une position de 1 ou plus, pas les deux",
	"must not be before from":                                "ne doit pas précéder le début",
	"must not be negative":                                   "ne doit pas être négatif",

	// Problems and calendars.
	"problems are the vendor's team's records":      "les problèmes sont des fiches de l'équipe de l'éditeur",
	"is longer than 100,000 characters":             "dépasse 100 000 caractères",
	"must be open, known_error, resolved or closed": "doit être ouvert, erreur connue, résolu ou clos",
	"a known error needs its workaround":            "une erreur connue a besoin de son contournement",
	"is required to notify the requesters":          "est obligatoire pour prévenir les demandeurs",
	"a new problem is open or a known error":        "un nouveau problème est ouvert ou une erreur connue",
	"must be an active member of the vendor's team": "doit être un membre actif de l'équipe de l'éditeur",
	"only admins and ops managers manage calendars": "seuls les administrateurs et les responsables Ops gèrent les calendriers",
	"only the vendor's team sees calendars":         "seule l'équipe de l'éditeur voit les calendriers",
	"is required, at most 100 characters":           "est obligatoire, 100 caractères au plus",

	// Delivery projects (docs/projects.md).
	"is at most 200 characters":                                                                      "fait au plus 200 caractères",
	"is at most 300 characters":                                                                      "fait au plus 300 caractères",
	"is at most 20000 characters":                                                                    "fait au plus 20 000 caractères",
	"cannot be before the start date":                                                                "ne peut pas précéder la date de début",
	"must be one of low, normal, high, critical":                                                     "doit être basse, normale, haute ou critique",
	"must be an active project manager, ops manager or admin":                                        "doit être un chef de projet, un responsable Ops ou un administrateur actif",
	"a customer may only submit an item with its evidence":                                           "un client peut seulement soumettre un élément avec son justificatif",
	"only ops managers and admins take an item out of waived":                                        "seuls les responsables Ops et les administrateurs reviennent sur une dispense",
	"only ops managers and admins waive an item":                                                     "seuls les responsables Ops et les administrateurs dispensent un élément",
	"only project managers, ops managers and admins change projects":                                 "seuls les chefs de projet, les responsables Ops et les administrateurs modifient les projets",
	"only project managers, ops managers and admins close projects":                                  "seuls les chefs de projet, les responsables Ops et les administrateurs clôturent les projets",
	"only project managers, ops managers and admins create projects":                                 "seuls les chefs de projet, les responsables Ops et les administrateurs créent des projets",
	"only the project's Ops lead, project managers, ops managers and admins close or reopen a phase": "seuls le référent Ops du projet, les chefs de projet, les responsables Ops et les administrateurs clôturent ou rouvrent une phase",
	"only the vendor's team changes this":                                                            "seule l'équipe de l'éditeur peut modifier ceci",
	"only admins edit project templates":                                                             "seuls les administrateurs modifient les modèles de projet",
	"sign in to read projects":                                                                       "connectez-vous pour consulter les projets",
	"must be todo, submitted or validated":                                                           "doit être à faire, soumis ou validé",
	"must be todo, in_progress or done":                                                              "doit être à faire, en cours ou fait",
	"waiving an item needs an ops manager and a reason (waive_reason)":                               "dispenser un élément demande un responsable Ops et un motif",
	"say why the item is waived":                                                                     "dites pourquoi l'élément est dispensé",
	"say why the phase is reopened":                                                                  "dites pourquoi la phase est rouverte",
	"say why the project is reopened":                                                                "dites pourquoi le projet est rouvert",
	"a task cannot depend on itself":                                                                 "une tâche ne peut pas dépendre d'elle-même",
	"must be between 0 and 10000":                                                                    "doit être compris entre 0 et 10000",
	"must be between 0 and 52":                                                                       "doit être compris entre 0 et 52",
	"must be weeks or months":                                                                        "doit être en semaines ou en mois",
	"a deployment task does not recur":                                                               "une tâche de déploiement ne se répète pas",
	"a deployment task needs a component and a version":                                              "une tâche de déploiement a besoin d'un composant et d'une version",
	"a component and version need an environment":                                                    "un composant et une version ont besoin d'un environnement",
	"give a ticket or problem key":                                                                   "indiquez un numéro de ticket ou de problème",
	"give a vendor user or a customer contact, not both":                                             "indiquez un utilisateur de l'éditeur ou un contact du client, pas les deux",
	"must be a contact of the project's customer":                                                    "doit être un contact du client du projet",
	"is required in French and English":                                                              "est obligatoire en français et en anglais",
	"a template needs at least one phase":                                                            "un modèle a besoin d'au moins une phase",
	"must be lower-case letters, digits, - or _ (at most 40), starting with a letter":                "doit comporter des lettres minuscules, chiffres, - ou _ (40 au plus), en commençant par une lettre",
	"only the vendor's team reads project templates":                                                 "seule l'équipe de l'éditeur consulte les modèles de projet",
	"waive an item on its own: send only status and waive_reason":                                    "dispensez un élément seul : n'envoyez que le statut et le motif",
	"goes with status waived":                                                                        "va avec le statut « dispensé »",

	// Corrective and preventive actions (docs/capa.md).
	"must be corrective or preventive":                                            "doit être corrective ou préventive",
	"must be at most 200 characters":                                              "ne doit pas dépasser 200 caractères",
	"a manual action has no source record":                                        "une action manuelle n'a pas d'enregistrement d'origine",
	"must be problem, sla_breach, survey, audit, probe, quality_target or manual": "doit être problème, dépassement de SLA, enquête, audit, sonde, objectif qualité ou manuelle",
	"is required for an SLA breach":                                               "est obligatoire pour un dépassement de SLA",
	"only an ops manager accepts, rejects or cancels actions":                     "seul un responsable Ops accepte, rejette ou annule les actions",
	"say how the cause recurred":                                                  "indiquez comment la cause s'est reproduite",
	"only the vendor's team records actions":                                      "seule l'équipe de l'éditeur enregistre les actions",
	"only an ops manager runs the suggestions":                                    "seul un responsable Ops lance les suggestions",
	"is required: true, or false when the cause recurred":                         "est obligatoire : oui, ou non si la cause s'est reproduite",
	"say why the action is rejected":                                              "indiquez pourquoi la suggestion est rejetée",
	"say why the action is cancelled":                                             "indiquez pourquoi l'action est annulée",
	"a done action is no longer edited":                                           "une action terminée n'est plus modifiable",
	"a cancelled action is no longer edited":                                      "une action annulée n'est plus modifiable",
	"a rejected action is no longer edited":                                       "une action rejetée n'est plus modifiable",
	// Preventive work (store/preventive*.go, opsdesk/preventive.go).
	"must be audit, performance_review, certificate_renewal or access_review": "doit être audit, revue de performance, renouvellement de certificat ou revue des accès",
	"must be at most 10000 characters":                                        "ne doit pas dépasser 10000 caractères",
	"must be at most 2000 characters":                                         "ne doit pas dépasser 2000 caractères",
	"is not a customer":                                                       "n'est pas un client",
	"is not an environment":                                                   "n'est pas un environnement",
	"is not a user":                                                           "n'est pas un utilisateur",
	"belongs to a customer: choose the customer first":                        "appartient à un client : choisissez d'abord le client",
	"must be between 1 and 120":                                               "doit être compris entre 1 et 120",
	"must be between 0 and 1000 hours":                                        "doit être compris entre 0 et 1000 heures",
	"must be an environment of the schedule's customer":                       "doit être un environnement du client de la planification",
	"say why the occurrence is skipped":                                       "indiquez pourquoi l'occurrence est sautée",
	"only an ops manager plans preventive work":                               "seul un responsable Ops planifie les travaux préventifs",
	"only the vendor's team works on preventive tasks":                        "seule l'équipe de l'éditeur travaille sur les tâches préventives",
	"must be open, or absent for every status":                                "doit être open, ou absent pour tous les statuts",
	// Quality targets (opsdesk/quality.go, store/quality_targets.go).
	"must be a customer":                            "doit être un client",
	"must be ge (at least) or le (at most)":         "doit être ge (au moins) ou le (au plus)",
	"must be week or month":                         "doit être week (semaine) ou month (mois)",
	"must be a number of at least 0":                "doit être un nombre supérieur ou égal à 0",
	"is a percentage: at most 100":                  "est un pourcentage : 100 au plus",
	"is a rating: at most 5":                        "est une note : 5 au plus",
	"only an ops manager sets quality targets":      "seul un responsable Ops fixe les objectifs qualité",
	"quality targets are the team's":                "les objectifs qualité sont ceux de l'équipe",
	"only an ops manager evaluates quality targets": "seul un responsable Ops évalue les objectifs qualité",
	// Demo (store/demo_mark.go, demo).
	"only admins mark a database as a demo": "seuls les administrateurs marquent une base comme base de démonstration",
}

// domainPatternsFR translates the messages that carry a value (an address, a code), keeping it.
var domainPatternsFR = []struct {
	re       *regexp.Regexp
	fr       string
	statuses []int // the groups that hold ticket statuses, named in French
}{
	{regexp.MustCompile(`^a user with address (.+) already exists$`), "un utilisateur avec l'adresse %s existe déjà", nil},
	{regexp.MustCompile(`^a contact with address (.+) already exists$`), "un contact avec l'adresse %s existe déjà", nil},
	{regexp.MustCompile(`^customer code (.+) is already used$`), "le code client %s est déjà utilisé", nil},
	{regexp.MustCompile(`^domain (.+) already belongs to customer (.+)$`), "le domaine %s appartient déjà au client %s", nil},
	{regexp.MustCompile(`^this customer already has an environment named (.+)$`), "ce client a déjà un environnement nommé %s", nil},
	{regexp.MustCompile(`^(".*") is not an email address$`), "%s n'est pas une adresse e-mail", nil},
	{regexp.MustCompile(`^(".*") is not a domain name$`), "%s n'est pas un nom de domaine", nil},
	{regexp.MustCompile(`^(".*") is not a support level \(N1, N2, N3\)$`), "%s n'est pas un niveau de support (N1, N2, N3)", nil},
	{regexp.MustCompile(`^(.+) is a contact of another customer$`), "%s est un contact d'un autre client", nil},
	{regexp.MustCompile(`^you may not create a user with role (.+)$`), "vous ne pouvez pas créer d'utilisateur de rôle %s", nil},

	// Tickets.
	{regexp.MustCompile(`^(".*") is not a severity$`), "%s n'est pas une gravité", nil},
	{regexp.MustCompile(`^(".*") is not a category$`), "%s n'est pas un domaine", nil},
	{regexp.MustCompile(`^is not an environment of (.+)$`), "n'est pas un environnement de %s", nil},
	{regexp.MustCompile(`^a (.+) request must state its impact: who is blocked, since when, what cannot be done$`),
		"une demande « %s » doit préciser son impact : qui est bloqué, depuis quand, ce qui ne peut plus être fait", nil},
	{regexp.MustCompile(`^the ticket is already (\w+)$`), "le ticket est déjà « %s »", []int{1}},
	{regexp.MustCompile(`^a ticket that is (\w+) cannot change status$`), "un ticket « %s » ne peut plus changer de statut", []int{1}},
	{regexp.MustCompile(`^a ticket that is (\w+) cannot become (\w+); it can become (.+)$`),
		"un ticket « %s » ne peut pas devenir « %s » ; il peut devenir %s", []int{1, 2, 3}},
	{regexp.MustCompile(`^(.+) is closed: file a new request$`), "%s est clos : déposez une nouvelle demande", nil},
	{regexp.MustCompile(`^(.+) works at (N\d); (.+) is at (N\d): escalate it first$`),
		"%s travaille au niveau %s ; %s est au niveau %s : escaladez-le d'abord", nil},
	{regexp.MustCompile(`^(.+) is not an active agent$`), "%s n'est pas un agent actif", nil},
	{regexp.MustCompile(`^task (".*") is not done: findings are recorded once it is$`), "la tâche %s n'est pas faite : ses constats s'enregistrent une fois qu'elle l'est", nil},
	{regexp.MustCompile(`^phase (\S+) is closed: reopen it first$`), "la phase %s est clôturée : rouvrez-la d'abord", nil},
	{regexp.MustCompile(`^(.+) is (\w+): reopen it first$`), "%s est « %s » : rouvrez-le d'abord", []int{2}},
	{regexp.MustCompile(`^(.+) is already at (N\d)$`), "%s est déjà au niveau %s", nil},
	{regexp.MustCompile(`^the contract of (.+) does not provide (N\d) \(it provides (.+)\)$`),
		"le contrat de %s ne fournit pas le niveau %s (il fournit %s)", nil},
	{regexp.MustCompile(`^([A-Z][A-Z0-9]*-\d+) is (new|open|waiting_customer|resolved|closed)$`), "%s est « %s »", []int{2}},
	{regexp.MustCompile(`^another severity has rank (\d+)$`), "une autre gravité a le rang %s", nil},
	{regexp.MustCompile(`^(.+) is not an agent at (N\d)$`), "%s n'est pas un agent de niveau %s", nil},
	{regexp.MustCompile(`^group (.+) works at (N\d), not (N\d)$`), "le groupe %s travaille au niveau %s, pas %s", nil},
	{regexp.MustCompile(`^no group (".*")$`), "aucun groupe %s", nil},
	{regexp.MustCompile(`^no user (\d+)$`), "aucun utilisateur %s", nil},

	// The plan's pins and moves.
	{regexp.MustCompile(`^no ticket (\d+)$`), "aucun ticket %s", nil},
	{regexp.MustCompile(`^no task (\d+)$`), "aucune tâche %s", nil},
	{regexp.MustCompile(`^no preventive (\d+)$`), "aucune occurrence de travail préventif %s", nil},
	{regexp.MustCompile(`^ticket (\d+) is no longer open: it is not in the plan$`), "le ticket %s n'est plus ouvert : il n'est pas dans le plan", nil},
	{regexp.MustCompile(`^task (\d+) is no longer open: it is not in the plan$`), "la tâche %s n'est plus ouverte : elle n'est pas dans le plan", nil},
	{regexp.MustCompile(`^preventive (\d+) is no longer open: it is not in the plan$`), "l'occurrence de travail préventif %s n'est plus ouverte : elle n'est pas dans le plan", nil},
	{regexp.MustCompile(`^plan override (\d+) is not current$`), "l'intervention %s sur le plan n'est plus en vigueur", nil},

	// Knowledge base on tickets.
	{regexp.MustCompile(`^procedure (\d+) has no step (\d+) in (fr|en)$`), "la procédure %s n'a pas d'étape %s en %s", nil},
	{regexp.MustCompile(`^must be at most (\d+)$`), "doit valoir au plus %s", nil},

	// Delivery projects.
	{regexp.MustCompile(`^phase (\S+) cannot close: (\d+) item\(s\) neither validated nor waived: (.+)$`), "la phase %s ne peut pas être clôturée : %s élément(s) ni validé(s) ni dispensé(s) : %s", nil},
	{regexp.MustCompile(`^phase (\S+) is already closed$`), "la phase %s est déjà clôturée", nil},
	{regexp.MustCompile(`^phase (\S+) is not closed$`), "la phase %s n'est pas clôturée", nil},
	{regexp.MustCompile(`^project (".*") is closed$`), "le projet %s est clôturé", nil},
	{regexp.MustCompile(`^item (".*") is the vendor's$`), "l'élément %s est à la charge de l'éditeur", nil},
	{regexp.MustCompile(`^item (".*") is already validated$`), "l'élément %s est déjà validé", nil},
	{regexp.MustCompile(`^item (".*") is already waived$`), "l'élément %s est déjà dispensé", nil},
	{regexp.MustCompile(`^task (".*") is done: its deployment is recorded$`), "la tâche %s est faite : son déploiement est enregistré", nil},
	{regexp.MustCompile(`^(.+) is already linked to this project$`), "%s est déjà lié à ce projet", nil},
	{regexp.MustCompile(`^environment (\d+) is not one of this customer's$`), "l'environnement %s n'appartient pas à ce client", nil},
	{regexp.MustCompile(`^this dependency makes a cycle: (.+)$`), "cette dépendance crée un cycle : %s", nil},
	{regexp.MustCompile(`^project has no phase (".*")$`), "le projet n'a pas de phase %s", nil},
	{regexp.MustCompile(`^no project template (".*")$`), "aucun modèle de projet %s", nil},
	{regexp.MustCompile(`^no project template (\d+)$`), "aucun modèle de projet %s", nil},
	{regexp.MustCompile(`^a template (\S+) already exists$`), "un modèle %s existe déjà", nil},
	{regexp.MustCompile(`^phase (\d+): the code must be lower-case letters, digits, - or _$`), "phase %s : le code doit comporter des lettres minuscules, chiffres, - ou _", nil},
	{regexp.MustCompile(`^phase (\S+) appears twice$`), "la phase %s apparaît deux fois", nil},
	{regexp.MustCompile(`^phase (\S+) needs a name in French and English$`), "la phase %s a besoin d'un nom en français et en anglais", nil},
	{regexp.MustCompile(`^phase (\S+), item (\d+) needs a title in French and English$`), "phase %s, élément %s : un titre en français et en anglais est obligatoire", nil},
	{regexp.MustCompile(`^phase (\S+), item (".*"): kind must be prerequisite, deliverable or task$`), "phase %s, élément %s : le type doit être prérequis, livrable ou tâche", nil},
	{regexp.MustCompile(`^phase (\S+), item (".*"): owner must be vendor or customer$`), "phase %s, élément %s : le responsable doit être l'éditeur ou le client", nil},
	{regexp.MustCompile(`^phase (\S+), item (".*"): the offset is 0 to 3650 days$`), "phase %s, élément %s : l'échéance est de 0 à 3650 jours", nil},

	// Delivery project pages: the promotion path met on a deployment task, links, statuses.
	{regexp.MustCompile(`^(\S+) (\S+) cannot go to prod: this customer has no preprod environment to validate it first; an ops manager may deploy it with an emergency reason$`),
		"%s %s ne peut pas aller en production : ce client n'a pas d'environnement de préproduction pour la valider d'abord ; un responsable Ops peut la déployer avec un motif d'urgence", nil},
	{regexp.MustCompile(`^(\S+) (\S+) has not succeeded on preprod \((.+)\) yet: deploy it there first, or an ops manager records an emergency reason$`),
		"%s %s n'a pas encore réussi en préproduction (%s) : déployez-la d'abord là, ou un responsable Ops enregistre un motif d'urgence", nil},
	{regexp.MustCompile(`^no problem (.+)$`), "aucun problème %s", nil},
	{regexp.MustCompile(`^no action (.+)$`), "aucune action %s", nil},
	{regexp.MustCompile(`^is required for source (\S+)$`), "est obligatoire pour l'origine %s", nil},
	{regexp.MustCompile(`^an action cannot go from (\S+) to (\S+)$`), "une action ne peut pas passer de « %s » à « %s »", nil},
	{regexp.MustCompile(`^effectiveness is checked once the action is done \(it is (\S+)\)$`), "l'efficacité se vérifie une fois l'action terminée (elle est « %s »)", nil},
	{regexp.MustCompile(`^the check is due on (\S+)$`), "la vérification est prévue le %s", nil},
	{regexp.MustCompile(`^task (".*") is already (todo|in_progress|done)$`), "la tâche %s est déjà « %s »", nil},
	{regexp.MustCompile(`^item (".*") is already (todo|submitted)$`), "l'élément %s est déjà « %s »", nil},
	{regexp.MustCompile(`^an occurrence cannot go from (\w+) to (\w+)$`), "une occurrence ne peut pas passer de %s à %s", nil},
	{regexp.MustCompile(`^no customer (\d+)$`), "aucun client %s", nil},
	{regexp.MustCompile(`^no preventive schedule (\d+)$`), "aucune planification préventive %s", nil},
	{regexp.MustCompile(`^unknown indicator (".*")$`), "indicateur inconnu %s", nil},
	{regexp.MustCompile(`^does not apply to (\S+)$`), "ne s'applique pas à %s", nil},
	{regexp.MustCompile(`^unknown severity (".*")$`), "sévérité inconnue %s", nil},
	{regexp.MustCompile(`^no quality target (\d+)$`), "aucun objectif qualité %s", nil},
	{regexp.MustCompile(`^the database already holds (\d+) customers: the demo needs an empty one$`),
		"la base contient déjà %s clients : la démonstration demande une base vide", nil},
}

// domainPatternFR translates a message carrying values, or reports false.
func domainPatternFR(msg string) (string, bool) {
	for _, p := range domainPatternsFR {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
				if slices.Contains(p.statuses, i+1) {
					args[i] = statusesFR(s)
				}
			}
			return fmt.Sprintf(p.fr, args...), true
		}
	}
	return "", false
}

// statusesFR names ticket statuses in French, in lower case: "open" or "open or resolved".
func statusesFR(s string) string {
	parts := strings.Split(s, " or ")
	for i, p := range parts {
		if key := "status." + p; Has(key) {
			parts[i] = strings.ToLower(T(opsdesk.LangFR, key))
		}
	}
	return strings.Join(parts, " ou ")
}
