package i18n

import (
	"fmt"
	"regexp"
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
}

// domainPatternsFR translates the messages that carry a value (an address, a code), keeping it.
var domainPatternsFR = []struct {
	re *regexp.Regexp
	fr string
}{
	{regexp.MustCompile(`^a user with address (.+) already exists$`), "un utilisateur avec l'adresse %s existe déjà"},
	{regexp.MustCompile(`^a contact with address (.+) already exists$`), "un contact avec l'adresse %s existe déjà"},
	{regexp.MustCompile(`^customer code (.+) is already used$`), "le code client %s est déjà utilisé"},
	{regexp.MustCompile(`^domain (.+) already belongs to customer (.+)$`), "le domaine %s appartient déjà au client %s"},
	{regexp.MustCompile(`^this customer already has an environment named (.+)$`), "ce client a déjà un environnement nommé %s"},
	{regexp.MustCompile(`^(".*") is not an email address$`), "%s n'est pas une adresse e-mail"},
	{regexp.MustCompile(`^(".*") is not a domain name$`), "%s n'est pas un nom de domaine"},
	{regexp.MustCompile(`^(".*") is not a support level \(N1, N2, N3\)$`), "%s n'est pas un niveau de support (N1, N2, N3)"},
	{regexp.MustCompile(`^(.+) is a contact of another customer$`), "%s est un contact d'un autre client"},
	{regexp.MustCompile(`^you may not create a user with role (.+)$`), "vous ne pouvez pas créer d'utilisateur de rôle %s"},
}

// domainPatternFR translates a message carrying values, or reports false.
func domainPatternFR(msg string) (string, bool) {
	for _, p := range domainPatternsFR {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return fmt.Sprintf(p.fr, args...), true
		}
	}
	return "", false
}
