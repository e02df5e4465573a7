package i18n_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// TestCatalogsMatch holds the two catalogs to the same keys, no empty message, and the same
// formatting verbs in the same order (a %d translated as %s would print garbage).
func TestCatalogsMatch(t *testing.T) {
	en, fr := i18n.Keys(opsdesk.LangEN), i18n.Keys(opsdesk.LangFR)
	for _, k := range en {
		if !slices.Contains(fr, k) {
			t.Errorf("%q is in English only", k)
		}
	}
	for _, k := range fr {
		if !slices.Contains(en, k) {
			t.Errorf("%q is in French only", k)
		}
	}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	for _, k := range en {
		e, f := i18n.T(opsdesk.LangEN, k), i18n.T(opsdesk.LangFR, k)
		if e == "" || f == "" {
			t.Errorf("%q has an empty message", k)
		}
		if ev, fv := verbs.FindAllString(e, -1), verbs.FindAllString(f, -1); !slices.Equal(ev, fv) {
			t.Errorf("%q: verbs %v in English, %v in French", k, ev, fv)
		}
	}
}

// TestDomainLabels checks that every value the UI labels has a message: roles, levels,
// environment kinds and statuses, tiers, job states, audit entities and fields.
func TestDomainLabels(t *testing.T) {
	var keys []string
	for _, r := range opsdesk.Roles {
		keys = append(keys, "role."+string(r))
	}
	for _, l := range opsdesk.Levels {
		keys = append(keys, "level."+string(l))
	}
	for _, k := range opsdesk.EnvKinds {
		keys = append(keys, "env.kind."+string(k))
	}
	for _, s := range []opsdesk.EnvStatus{opsdesk.EnvActive, opsdesk.EnvMaintenance, opsdesk.EnvRetired} {
		keys = append(keys, "env.status."+string(s))
	}
	for _, s := range opsdesk.ContractTiers {
		keys = append(keys, "tier."+s)
	}
	for _, s := range []opsdesk.JobState{opsdesk.JobPending, opsdesk.JobRunning, opsdesk.JobDone, opsdesk.JobFailed} {
		keys = append(keys, "job.state."+string(s))
	}
	for _, e := range opsdesk.AuditEntities {
		keys = append(keys, "entity."+e)
	}
	for _, fields := range [][]string{opsdesk.UserAuditFields, opsdesk.CustomerAuditFields, opsdesk.ContractAuditFields,
		opsdesk.ContactAuditFields, opsdesk.EnvironmentAuditFields, {"password", "user"}} {
		for _, f := range fields {
			keys = append(keys, "audit.field."+f)
		}
	}
	for _, l := range []opsdesk.Lang{opsdesk.LangFR, opsdesk.LangEN} {
		keys = append(keys, "lang."+string(l))
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("no message for %q", k)
		}
	}
}

func TestT(t *testing.T) {
	if got := i18n.T(opsdesk.LangFR, "login.title"); got != "Connexion" {
		t.Errorf("fr login.title = %q", got)
	}
	if got := i18n.T(opsdesk.LangEN, "home.hello", "Ann"); got != "Hello, Ann" {
		t.Errorf("formatting: %q", got)
	}
	if got := i18n.T("de", "login.title"); got != "Log in" {
		t.Errorf("unknown language: %q, want the English message", got)
	}
	if got := i18n.T(opsdesk.LangEN, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key: %q, want the key itself", got)
	}
}

func TestNegotiate(t *testing.T) {
	const fr, en = opsdesk.LangFR, opsdesk.LangEN
	tests := []struct {
		user   opsdesk.Lang
		accept string
		def    opsdesk.Lang
		want   opsdesk.Lang
	}{
		{fr, "en-US,en;q=0.9", en, fr},                      // the user's choice wins
		{en, "fr-FR", fr, en},                               //
		{"", "fr-FR;q=0.9, en;q=0.8", en, fr},               // q-values
		{"", "fr-FR;q=0.9, en", en, en},                     // no q means 1
		{"", "en;q=0.5, fr;q=0.5", fr, en},                  // a tie goes to the first listed
		{"", "de-DE, fr-CA;q=0.7, en;q=0.3", en, fr},        // languages opsdesk does not speak are skipped
		{"", "de-DE, it", fr, fr},                           // nothing usable: the default
		{"", "", en, en},                                    //
		{"", "FR-fr", en, fr},                               // case does not matter
		{"", "fr;q=0, en;q=0.1", fr, en},                    // q=0 means "not this one"
		{"", "fr;q=abc, en;q=0.2", fr, en},                  // a malformed q counts as 0
		{"", "*", fr, fr},                                   // a wildcard says nothing
		{"", "french, en-GB;q=0.4", fr, en},                 // "french" is not a tag for fr
		{"de", "en", fr, en},                                // an invalid preference is ignored
		{"", "", "", en},                                    // no default: English
		{"", " fr-FR ; q=0.8 ,en ;q=0.7", en, fr},           // spaces
		{"", "en-US;q=0.8;level=1, fr;q=0.9", en, fr},       // other parameters
		{"", "zh, fr-BE;q=0.2, en-AU;q=0.1", en, fr},        //
		{"", "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", en, fr}, // a typical French browser
	}
	for _, tt := range tests {
		if got := i18n.Negotiate(tt.user, tt.accept, tt.def); got != tt.want {
			t.Errorf("Negotiate(%q, %q, %q) = %q, want %q", tt.user, tt.accept, tt.def, got, tt.want)
		}
	}
}

func TestDomain(t *testing.T) {
	tests := []struct {
		lang      opsdesk.Lang
		msg, want string
	}{
		{opsdesk.LangFR, "is required", "est obligatoire"},
		{opsdesk.LangFR, "a user with address a@b.example already exists", "un utilisateur avec l'adresse a@b.example existe déjà"},
		{opsdesk.LangFR, `"x@" is not an email address`, `"x@" n'est pas une adresse e-mail`},
		{opsdesk.LangFR, "domain a.example already belongs to customer ACME", "le domaine a.example appartient déjà au client ACME"},
		{opsdesk.LangFR, "preventive 12 is no longer open: it is not in the plan", "l'occurrence de travail préventif 12 n'est plus ouverte : elle n'est pas dans le plan"},
		{opsdesk.LangFR, "no task 7", "aucune tâche 7"},
		{opsdesk.LangFR, "some rare message", "some rare message"},
		{opsdesk.LangEN, "is required", "is required"},
	}
	for _, tt := range tests {
		if got := i18n.Domain(tt.lang, tt.msg); got != tt.want {
			t.Errorf("Domain(%s, %q) = %q, want %q", tt.lang, tt.msg, got, tt.want)
		}
	}
}

// TestDomainCoversValidation checks that the validation messages of the domain types, which
// users meet on every form, have a French translation — so a reworded message in the domain
// shows up here rather than as English on a French page.
func TestDomainCoversValidation(t *testing.T) {
	long := string(make([]byte, 201))
	invalid := []interface{ Validate() error }{
		&opsdesk.User{},
		&opsdesk.User{Email: "nope"},
		&opsdesk.User{Email: "a@b.example", Name: long},
		&opsdesk.User{Email: "a@b.example", Role: "boss"},
		&opsdesk.User{Email: "a@b.example", Role: opsdesk.RoleAgent},
		&opsdesk.User{Email: "a@b.example", Role: opsdesk.RoleAdmin, Level: opsdesk.LevelN1},
		&opsdesk.User{Email: "a@b.example", Role: opsdesk.RoleCustomer},
		&opsdesk.User{Email: "a@b.example", Role: opsdesk.RoleAdmin, CustomerID: 1},
		&opsdesk.User{Email: "a@b.example", Role: opsdesk.RoleAdmin, Lang: "de"},
		&opsdesk.Customer{Code: "1x", Name: "x"},
		&opsdesk.Customer{Code: "ACME"},
		&opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"not a domain"}},
		&opsdesk.Contract{},
		&opsdesk.Contract{Levels: []opsdesk.Level{"N9"}},
		&opsdesk.Contract{Levels: opsdesk.Levels, Tier: "gold"},
		&opsdesk.Contract{Levels: opsdesk.Levels, StartsOn: "tomorrow"},
		&opsdesk.Contract{Levels: opsdesk.Levels, StartsOn: "2026-02-01", EndsOn: "2026-01-01"},
		&opsdesk.Contact{CustomerID: 1, Email: "x"},
		&opsdesk.Environment{CustomerID: 1, Kind: "qa", Name: "x"},
		&opsdesk.Environment{CustomerID: 1, Kind: opsdesk.EnvProd},
		&opsdesk.Environment{CustomerID: 1, Kind: opsdesk.EnvProd, Name: "x", URL: "ftp://x"},
		&opsdesk.Environment{CustomerID: 1, Kind: opsdesk.EnvProd, Name: "x", Status: "gone"},
	}
	for _, v := range invalid {
		err := v.Validate()
		if err == nil {
			t.Errorf("%+v is valid", v)
			continue
		}
		msg := opsdesk.ErrorMessage(err)
		if i18n.Domain(opsdesk.LangFR, msg) == msg {
			t.Errorf("no French for %q", msg)
		}
	}
}

// TestDomainTickets checks the French of the store's ticket messages that the portal and the
// workspace show next to a field: the values they carry are kept, statuses named in French.
func TestDomainTickets(t *testing.T) {
	tests := []struct{ msg, want string }{
		{"is required: describe what happens and what you expected", "est obligatoire : décrivez ce qui se passe et ce que vous attendiez"},
		{`"hr" is not a category`, `"hr" n'est pas un domaine`},
		{`"urgent" is not a severity`, `"urgent" n'est pas une gravité`},
		{"is not an environment of ACME", "n'est pas un environnement de ACME"},
		{"a ticket that is open cannot become closed; it can become waiting_customer or resolved",
			"un ticket « en cours » ne peut pas devenir « clos » ; il peut devenir en attente du client ou résolu"},
		{"a ticket that is closed cannot change status", "un ticket « clos » ne peut plus changer de statut"},
		{"the ticket is already resolved", "le ticket est déjà « résolu »"},
		{"OPS-1042 is closed: file a new request", "OPS-1042 est clos : déposez une nouvelle demande"},
		{"n2@vendor.example works at N2; OPS-1042 is at N1: escalate it first",
			"n2@vendor.example travaille au niveau N2 ; OPS-1042 est au niveau N1 : escaladez-le d'abord"},
		{"the contract of GLOBEX does not provide N3 (it provides N1, N2)", "le contrat de GLOBEX ne fournit pas le niveau N3 (il fournit N1, N2)"},
		{"OPS-1042 is resolved: reopen it first", "OPS-1042 est « résolu » : rouvrez-le d'abord"},
		{"OPS-1042 is already at N2", "OPS-1042 est déjà au niveau N2"},
		{"OPS-1042 is waiting_customer", "OPS-1042 est « en attente du client »"},
		{"is required: say why the ticket changes level", "est obligatoire : dites pourquoi le ticket change de niveau"},
		{"group db works at N2, not N1", "le groupe db travaille au niveau N2, pas N1"},
	}
	for _, tt := range tests {
		if got := i18n.Domain(opsdesk.LangFR, tt.msg); got != tt.want {
			t.Errorf("Domain(fr, %q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
	// The checks of the domain types the forms meet.
	for _, err := range []error{
		opsdesk.CheckTransition(opsdesk.StatusNew, opsdesk.StatusClosed),
		opsdesk.CheckTransition(opsdesk.StatusClosed, opsdesk.StatusOpen),
		opsdesk.CheckTransition(opsdesk.StatusOpen, opsdesk.StatusOpen),
		(&opsdesk.NewTicket{CustomerID: 1, RequesterEmail: "a@b.example"}).Validate(),
		(&opsdesk.NewTicket{CustomerID: 1, RequesterEmail: "a@b.example", Subject: "s"}).Validate(),
		(&opsdesk.Group{Code: "x"}).Validate(),
	} {
		if msg := opsdesk.ErrorMessage(err); i18n.Domain(opsdesk.LangFR, msg) == msg {
			t.Errorf("no French for %q", msg)
		}
	}
}
