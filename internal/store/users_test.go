package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var cheap = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32}

func TestCreateUserRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tests := []struct {
			name  string
			ctx   context.Context
			user  opsdesk.User
			kind  opsdesk.Kind
			field string
		}{
			{"agent without level", admin, opsdesk.User{Email: "x@v.example", Role: opsdesk.RoleAgent}, opsdesk.KindInvalid, "level"},
			{"bad email", admin, opsdesk.User{Email: "not-mail", Role: opsdesk.RoleAdmin}, opsdesk.KindInvalid, "email"},
			{"display name in email", admin, opsdesk.User{Email: "A <a@v.example>", Role: opsdesk.RoleAdmin}, opsdesk.KindInvalid, "email"},
			{"unknown role", admin, opsdesk.User{Email: "x@v.example", Role: "boss"}, opsdesk.KindInvalid, "role"},
			{"customer without org", admin, opsdesk.User{Email: "x@v.example", Role: opsdesk.RoleCustomer}, opsdesk.KindInvalid, "customer"},
			{"customer of unknown org", admin, opsdesk.User{Email: "x@v.example", Role: opsdesk.RoleCustomer, CustomerID: 9999}, opsdesk.KindInvalid, "customer"},
			{"staff with org", admin, opsdesk.User{Email: "x@v.example", Role: opsdesk.RoleAgent, Level: "N1", CustomerID: f.acme.ID}, opsdesk.KindInvalid, "customer"},
			{"duplicate email", admin, opsdesk.User{Email: "ALICE@acme.example", Role: opsdesk.RoleAdmin}, opsdesk.KindConflict, "email"},
			{"agent creates user", as(f.agent), opsdesk.User{Email: "x@v.example", Role: opsdesk.RoleAgent, Level: "N1"}, opsdesk.KindForbidden, ""},
			{"customer creates user", as(f.custA), opsdesk.User{Email: "x@acme.example", Role: opsdesk.RoleCustomer, CustomerID: f.acme.ID}, opsdesk.KindForbidden, ""},
			{"ops manager creates admin", as(f.ops), opsdesk.User{Email: "x@v.example", Role: opsdesk.RoleAdmin}, opsdesk.KindForbidden, ""},
			{"ops manager creates agent", as(f.ops), opsdesk.User{Email: "n3@v.example", Role: opsdesk.RoleAgent, Level: "n3", Domains: []string{"Mobile", "db", "mobile"}}, "", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := tt.user
				err := db.CreateUser(tt.ctx, &u, "")
				if tt.kind == "" {
					if err != nil {
						t.Fatal(err)
					}
					got, err := db.UserByID(admin, u.ID)
					if err != nil || got.Level != opsdesk.LevelN3 || len(got.Domains) != 2 || got.Domains[0] != "db" {
						t.Fatalf("stored user = %+v, %v", got, err)
					}
					return
				}
				wantKind(t, err, tt.kind)
				if f := opsdesk.ErrorField(err); f != tt.field {
					t.Errorf("field = %q, want %q", f, tt.field)
				}
			})
		}
	})
}

func TestCustomerUserBecomesContact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c, err := db.ContactByEmail(admin, f.custA.Email)
		if err != nil || c.CustomerID != f.acme.ID {
			t.Fatalf("contact of customer user = %+v, %v", c, err)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		hash, _ := auth.HashPassword("s3cret-password", cheap)
		u := &opsdesk.User{Email: "Agent@Vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN2}
		if err := db.CreateUser(admin, u, hash); err != nil {
			t.Fatal(err)
		}
		got, err := db.Authenticate(context.Background(), " agent@vendor.EXAMPLE", "s3cret-password")
		if err != nil || got.ID != u.ID {
			t.Fatalf("right password: %v", err)
		}
		for _, tc := range []struct{ email, pw string }{{"agent@vendor.example", "wrong"}, {"nobody@vendor.example", "s3cret-password"}} {
			_, err := db.Authenticate(context.Background(), tc.email, tc.pw)
			wantKind(t, err, opsdesk.KindAuth)
			if opsdesk.ErrorMessage(err) != "wrong email or password" {
				t.Errorf("message %q leaks which part was wrong", opsdesk.ErrorMessage(err))
			}
		}
		u.Disabled = true
		db.CreateUser(admin, &opsdesk.User{Email: "a2@vendor.example", Role: opsdesk.RoleAdmin}, "")
		if err := db.UpdateUser(admin, u); err != nil {
			t.Fatal(err)
		}
		_, err = db.Authenticate(context.Background(), "agent@vendor.example", "s3cret-password")
		wantKind(t, err, opsdesk.KindAuth)
	})
}

func TestUpdateUserAuditAndLastAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		u := *f.agent
		u.Level = opsdesk.LevelN2
		u.Name = "Nina"
		if err := db.UpdateUser(as(f.ops), &u); err != nil {
			t.Fatal(err)
		}
		entries, err := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "user", EntityID: u.ID})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit = %+v, %v; want create and update", entries, err)
		}
		up := entries[0]
		if up.Action != "update" || up.ActorLabel != f.ops.Email || up.ActorID != f.ops.ID {
			t.Fatalf("update entry = %+v", up)
		}
		want := map[string][2]string{"name": {f.agent.Name, "Nina"}, "level": {"N1", "N2"}}
		if len(up.Changes) != len(want) {
			t.Fatalf("changes = %+v, want %v", up.Changes, want)
		}
		for _, c := range up.Changes {
			if w, ok := want[c.Field]; !ok || w[0] != c.Old || w[1] != c.New {
				t.Errorf("change %+v, want %v", c, want[c.Field])
			}
		}
		// An update that changes nothing is not recorded.
		db.UpdateUser(as(f.ops), &u)
		if again, _ := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "user", EntityID: u.ID}); len(again) != 2 {
			t.Errorf("no-op update recorded: %d entries", len(again))
		}
		// The only admin cannot be demoted or disabled.
		a := *f.adm
		a.Disabled = true
		wantKind(t, db.UpdateUser(admin, &a), opsdesk.KindConflict)
		// Ops managers cannot change admins; agents cannot read the audit log.
		a.Disabled = false
		a.Name = "x"
		wantKind(t, db.UpdateUser(as(f.ops), &a), opsdesk.KindForbidden)
		_, err = db.ListAudit(as(f.agent), opsdesk.AuditFilter{})
		wantKind(t, err, opsdesk.KindForbidden)
	})
}

func TestSetPasswordEndsOtherSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		s1, sess1, _ := db.CreateSession(ctx, f.agent.ID, time.Hour, "ua", "127.0.0.1")
		s2, _, _ := db.CreateSession(ctx, f.agent.ID, time.Hour, "ua", "127.0.0.1")
		hash, _ := auth.HashPassword("new-password-1", cheap)
		if err := db.SetPassword(as(f.agent), f.agent.ID, hash, sess1.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByToken(ctx, s1, time.Hour); err != nil {
			t.Errorf("the session that changed the password was ended: %v", err)
		}
		_, _, err := db.SessionByToken(ctx, s2, time.Hour)
		wantKind(t, err, opsdesk.KindAuth)
		if _, err := db.Authenticate(ctx, f.agent.Email, "new-password-1"); err != nil {
			t.Errorf("new password refused: %v", err)
		}
		wantKind(t, db.SetPassword(as(f.custA), f.agent.ID, hash, 0), opsdesk.KindForbidden)
		entries, _ := db.ListAudit(admin, opsdesk.AuditFilter{Entity: "user", EntityID: f.agent.ID})
		if entries[0].Action != "password" || entries[0].Changes[0].New != "***" {
			t.Errorf("password change audit = %+v (the hash must never be recorded)", entries[0])
		}
	})
}

func TestFirstAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if n, _ := db.CountAdmins(ctx); n != 0 {
			t.Fatalf("fresh database has %d admins", n)
		}
		if err := db.CreateFirstAdmin(ctx, &opsdesk.User{Email: "first@v.example"}, "h"); err != nil {
			t.Fatal(err)
		}
		err := db.CreateFirstAdmin(ctx, &opsdesk.User{Email: "second@v.example"}, "h")
		wantKind(t, err, opsdesk.KindConflict)
		if n, _ := db.CountAdmins(ctx); n != 1 {
			t.Fatalf("admins = %d, want 1", n)
		}
	})
}
