package store_test

import (
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestCustomerRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tests := []struct {
			name  string
			c     opsdesk.Customer
			kind  opsdesk.Kind
			field string
		}{
			{"lower-case code is normalised", opsdesk.Customer{Code: "initech", Name: "Initech", Domains: []string{"Initech.Example"}}, "", ""},
			{"code taken", opsdesk.Customer{Code: "acme", Name: "Other"}, opsdesk.KindConflict, "code"},
			{"domain taken", opsdesk.Customer{Code: "OTHER", Name: "Other", Domains: []string{"acme.example"}}, opsdesk.KindConflict, "domains"},
			{"bad code", opsdesk.Customer{Code: "1X", Name: "x"}, opsdesk.KindInvalid, "code"},
			{"bad domain", opsdesk.Customer{Code: "XY", Name: "x", Domains: []string{"not a domain"}}, opsdesk.KindInvalid, "domains"},
			{"no name", opsdesk.Customer{Code: "XY"}, opsdesk.KindInvalid, "name"},
			{"bad lang", opsdesk.Customer{Code: "XY", Name: "x", Lang: "de"}, opsdesk.KindInvalid, "lang"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := tt.c
				err := db.CreateCustomer(admin, &c)
				if tt.kind == "" {
					if err != nil {
						t.Fatal(err)
					}
					got, err := db.CustomerByCode(admin, "INITECH")
					if err != nil || got.Domains[0] != "initech.example" || got.Lang != opsdesk.LangFR {
						t.Fatalf("stored = %+v, %v", got, err)
					}
					ct, err := db.ContractOf(admin, got.ID)
					if err != nil || len(ct.Levels) != 3 {
						t.Fatalf("default contract = %+v, %v", ct, err)
					}
					return
				}
				wantKind(t, err, tt.kind)
				if got := opsdesk.ErrorField(err); got != tt.field {
					t.Errorf("field = %q, want %q", got, tt.field)
				}
			})
		}
		wantKind(t, db.CreateCustomer(as(f.agent), &opsdesk.Customer{Code: "NOPE", Name: "n"}), opsdesk.KindForbidden)
		wantKind(t, db.CreateCustomer(as(f.custA), &opsdesk.Customer{Code: "NOPE", Name: "n"}), opsdesk.KindForbidden)
	})
}

// TestCustomerIsolation proves that a customer's user reaches their own organisation's records
// and nothing of another's: every read answers "not found" for the other customer.
func TestCustomerIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		env := &opsdesk.Environment{CustomerID: f.globex.ID, Kind: opsdesk.EnvProd, Name: "Production", URL: "https://globex.example"}
		if err := db.CreateEnvironment(admin, env); err != nil {
			t.Fatal(err)
		}
		ctx := as(f.custA)
		cs, err := db.ListCustomers(ctx)
		if err != nil || len(cs) != 1 || cs[0].ID != f.acme.ID {
			t.Fatalf("customer sees customers %+v, %v", cs, err)
		}
		if _, err := db.CustomerByID(ctx, f.acme.ID); err != nil {
			t.Fatalf("own customer: %v", err)
		}
		reads := map[string]func() error{
			"CustomerByID":    func() error { _, err := db.CustomerByID(ctx, f.globex.ID); return err },
			"CustomerByCode":  func() error { _, err := db.CustomerByCode(ctx, "GLOBEX"); return err },
			"ContractOf":      func() error { _, err := db.ContractOf(ctx, f.globex.ID); return err },
			"ListContacts":    func() error { _, err := db.ListContacts(ctx, f.globex.ID); return err },
			"ContactByEmail":  func() error { _, err := db.ContactByEmail(ctx, f.custB.Email); return err },
			"ListEnvironment": func() error { _, err := db.ListEnvironments(ctx, f.globex.ID); return err },
			"EnvironmentByID": func() error { _, err := db.EnvironmentByID(ctx, env.ID); return err },
			"UserByID":        func() error { _, err := db.UserByID(ctx, f.custB.ID); return err },
			"UserByID staff":  func() error { _, err := db.UserByID(ctx, f.agent.ID); return err },
			"UserByEmail":     func() error { _, err := db.UserByEmail(ctx, f.custB.Email); return err },
		}
		for name, read := range reads {
			if err := read(); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
				t.Errorf("%s of another customer: %v, want not found", name, err)
			}
		}
		us, err := db.ListUsers(ctx, store.UserFilter{})
		if err != nil || len(us) != 1 || us[0].ID != f.custA.ID {
			t.Errorf("customer lists users %+v, %v; want only themselves", us, err)
		}
		us, _ = db.ListUsers(ctx, store.UserFilter{CustomerID: f.globex.ID})
		if len(us) != 1 || us[0].ID != f.custA.ID {
			t.Errorf("customer filtering on another org got %+v", us)
		}
	})
}

func TestContractAndEnvironments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ct := &opsdesk.Contract{CustomerID: f.acme.ID, Levels: []opsdesk.Level{"N3", "N2", "N3"}, Tier: "premium", StartsOn: "2026-01-01"}
		if err := db.SetContract(as(f.ops), ct); err != nil {
			t.Fatal(err)
		}
		got, err := db.ContractOf(as(f.custA), f.acme.ID)
		if err != nil || len(got.Levels) != 2 || got.Provides(opsdesk.LevelN1) || !got.Provides(opsdesk.LevelN3) || got.Tier != "premium" {
			t.Fatalf("contract = %+v, %v", got, err)
		}
		wantKind(t, db.SetContract(as(f.agent), ct), opsdesk.KindForbidden)
		wantKind(t, db.SetContract(admin, &opsdesk.Contract{CustomerID: f.acme.ID}), opsdesk.KindInvalid)
		wantKind(t, db.SetContract(admin, &opsdesk.Contract{CustomerID: f.acme.ID, Levels: opsdesk.Levels, StartsOn: "2026-02-01", EndsOn: "2026-01-01"}), opsdesk.KindInvalid)
		entries, _ := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "contract", EntityID: f.acme.ID})
		if len(entries) != 2 || entries[0].Changes[0].Field != "levels" || entries[0].Changes[0].Old != "N1,N2,N3" || entries[0].Changes[0].New != "N2,N3" {
			t.Fatalf("contract audit = %+v", entries)
		}

		for _, e := range []*opsdesk.Environment{
			{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "Production", URL: "https://acme.example"},
			{CustomerID: f.acme.ID, Kind: opsdesk.EnvTest, Name: "Recette"},
			{CustomerID: f.acme.ID, Kind: opsdesk.EnvPreprod, Name: "Pré-production"},
		} {
			if err := db.CreateEnvironment(admin, e); err != nil {
				t.Fatal(err)
			}
		}
		envs, err := db.ListEnvironments(as(f.custA), f.acme.ID)
		if err != nil || len(envs) != 3 || envs[0].Kind != opsdesk.EnvTest || envs[2].Kind != opsdesk.EnvProd {
			t.Fatalf("environments = %+v, %v", envs, err)
		}
		bad := []opsdesk.Environment{
			{CustomerID: f.acme.ID, Kind: "staging", Name: "x"},
			{CustomerID: f.acme.ID, Kind: opsdesk.EnvTest, Name: "x", URL: "ftp://x"},
			{CustomerID: f.acme.ID, Kind: opsdesk.EnvTest, Name: ""},
		}
		for _, e := range bad {
			wantKind(t, db.CreateEnvironment(admin, &e), opsdesk.KindInvalid)
		}
		dup := opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvTest, Name: "Recette"}
		wantKind(t, db.CreateEnvironment(admin, &dup), opsdesk.KindConflict)
		e := envs[0]
		e.Status = opsdesk.EnvMaintenance
		if err := db.UpdateEnvironment(admin, e); err != nil {
			t.Fatal(err)
		}
		e.CustomerID = f.globex.ID
		wantKind(t, db.UpdateEnvironment(admin, e), opsdesk.KindNotFound)
	})
}

func TestContacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := &opsdesk.Contact{CustomerID: f.acme.ID, Email: "Carol@Acme.example", Name: "Carol", Lang: opsdesk.LangEN}
		if err := db.CreateContact(as(f.agent), c); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.CreateContact(admin, &opsdesk.Contact{CustomerID: f.globex.ID, Email: "carol@acme.example"}), opsdesk.KindConflict)
		wantKind(t, db.CreateContact(as(f.custA), &opsdesk.Contact{CustomerID: f.acme.ID, Email: "d@acme.example"}), opsdesk.KindForbidden)
		c.Phone = "+33 1 23 45 67 89"
		if err := db.UpdateContact(admin, c); err != nil {
			t.Fatal(err)
		}
		list, err := db.ListContacts(as(f.custA), f.acme.ID)
		if err != nil || len(list) != 2 || list[1].Email != "carol@acme.example" || list[1].Phone == "" {
			t.Fatalf("contacts = %+v, %v", list, err)
		}
		got, err := db.CustomerByDomain(admin, "ACME.example")
		if err != nil || got.ID != f.acme.ID {
			t.Fatalf("customer by domain = %+v, %v", got, err)
		}
	})
}
