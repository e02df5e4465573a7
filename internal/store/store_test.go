package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// admin is the context of an operator running the CLI.
var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

func as(u *opsdesk.User) context.Context {
	return opsdesk.WithActor(context.Background(), opsdesk.ActorOf(u))
}

// fixture creates two customers and a user of each role.
type fixture struct {
	acme, globex        *opsdesk.Customer
	custA, custB, agent *opsdesk.User
	ops, pm, adm        *opsdesk.User
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{
		acme:   &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}},
		globex: &opsdesk.Customer{Code: "GLOBEX", Name: "Globex", Domains: []string{"globex.example"}, Lang: opsdesk.LangEN},
	}
	for _, c := range []*opsdesk.Customer{f.acme, f.globex} {
		if err := db.CreateCustomer(admin, c); err != nil {
			t.Fatalf("create customer %s: %v", c.Code, err)
		}
	}
	mk := func(email string, r opsdesk.Role, l opsdesk.Level, cust int64) *opsdesk.User {
		u := &opsdesk.User{Email: email, Name: email, Role: r, Level: l, CustomerID: cust}
		if err := db.CreateUser(admin, u, ""); err != nil {
			t.Fatalf("create user %s: %v", email, err)
		}
		return u
	}
	f.custA = mk("alice@acme.example", opsdesk.RoleCustomer, "", f.acme.ID)
	f.custB = mk("bob@globex.example", opsdesk.RoleCustomer, "", f.globex.ID)
	f.agent = mk("n1@vendor.example", opsdesk.RoleAgent, opsdesk.LevelN1, 0)
	f.ops = mk("ops@vendor.example", opsdesk.RoleOpsManager, "", 0)
	f.pm = mk("pm@vendor.example", opsdesk.RoleProjectManager, "", 0)
	f.adm = mk("root@vendor.example", opsdesk.RoleAdmin, "", 0)
	return f
}

func wantKind(t *testing.T, err error, k opsdesk.Kind) {
	t.Helper()
	if got := opsdesk.ErrorKind(err); got != k {
		t.Fatalf("error = %v (kind %q), want kind %q", err, got, k)
	}
}

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		all, err := store.Migrations(db.Dialect())
		if err != nil || len(all) == 0 {
			t.Fatalf("migrations: %v, %d", err, len(all))
		}
		v, err := db.SchemaVersion(context.Background())
		if err != nil || v != all[len(all)-1].Version {
			t.Fatalf("schema version = %d, %v; want %d", v, err, all[len(all)-1].Version)
		}
		again, err := db.Migrate(context.Background())
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate applied %d, %v; want none", len(again), err)
		}
		var n int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
		if n != len(all) {
			t.Fatalf("schema_migrations has %d rows, want %d", n, len(all))
		}
		if db.Dialect() == store.Postgres { // the after-commit part of migration 0028 ran
			var vacuumed int
			err := db.SQL().QueryRow(`SELECT COUNT(*) FROM pg_stat_user_tables WHERE schemaname = current_schema()
				AND relname IN ('sla_clocks', 'ticket_events', 'tickets') AND last_vacuum IS NOT NULL`).Scan(&vacuumed)
			if err != nil || vacuumed != 3 {
				t.Errorf("tables vacuumed after migration 0028: %d, %v; want 3", vacuumed, err)
			}
		}
	})
}

func TestAfterCommit(t *testing.T) {
	got := store.AfterCommit("CREATE TABLE x (a INT);\n-- a comment\n  -- after commit: VACUUM x\n-- after commit:REINDEX TABLE x\nSELECT 1;")
	if want := []string{"VACUUM x", "REINDEX TABLE x"}; !slices.Equal(got, want) {
		t.Errorf("AfterCommit = %q, want %q", got, want)
	}
}

func TestMigrationsMatchAcrossDialects(t *testing.T) {
	lite, _ := store.Migrations(store.SQLite)
	pg, _ := store.Migrations(store.Postgres)
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name {
			t.Errorf("migration %d: sqlite %04d_%s, postgres %04d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
	}
}

func TestRebind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		got := db.Rebind(`SELECT '?' FROM x WHERE a = ? AND b = ?`)
		want := `SELECT '?' FROM x WHERE a = ? AND b = ?`
		if db.Dialect() == store.Postgres {
			want = `SELECT '?' FROM x WHERE a = $1 AND b = $2`
		}
		if got != want {
			t.Errorf("Rebind = %q, want %q", got, want)
		}
	})
}

func TestBackupRestore(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := newFixture(t, db)
	path := t.TempDir() + "/backup.db"
	if err := db.Backup(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	// A write after the backup must not be in it.
	if err := db.CreateCustomer(admin, &opsdesk.Customer{Code: "LATER", Name: "Later"}); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if applied, err := restored.Migrate(context.Background()); err != nil || len(applied) != 0 {
		t.Fatalf("restored database needs migrations: %v %v", applied, err)
	}
	cs, err := restored.ListCustomers(admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Code != "ACME" || cs[1].Code != "GLOBEX" || cs[0].Domains[0] != "acme.example" {
		t.Fatalf("restored customers = %+v", cs)
	}
	if u, err := restored.UserByEmail(admin, f.custA.Email); err != nil || u.CustomerID != f.acme.ID {
		t.Fatalf("restored user: %+v %v", u, err)
	}
}

func TestBackupRefusedOnPostgres(t *testing.T) {
	for _, d := range storetest.Dialects() {
		if d != store.Postgres {
			continue
		}
		db := storetest.Open(t, d)
		if err := db.Backup(context.Background(), t.TempDir()+"/x.db"); err == nil {
			t.Fatal("backup of PostgreSQL should point to pg_dump")
		}
	}
}

func TestAuthFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		for range 3 {
			if err := db.RecordAuthFailure(ctx, "email:a@x.example", "ip:1.2.3.4"); err != nil {
				t.Fatal(err)
			}
		}
		n, _ := db.AuthFailures(ctx, "email:a@x.example", now.Add(-time.Minute))
		if n != 3 {
			t.Fatalf("failures = %d, want 3", n)
		}
		if n, _ := db.AuthFailures(ctx, "email:a@x.example", now.Add(time.Second)); n != 0 {
			t.Fatalf("failures after window = %d, want 0", n)
		}
		db.ClearAuthFailures(ctx, "email:a@x.example")
		if n, _ := db.AuthFailures(ctx, "email:a@x.example", now.Add(-time.Minute)); n != 0 {
			t.Fatalf("failures after clear = %d", n)
		}
		if n, _ := db.AuthFailures(ctx, "ip:1.2.3.4", now.Add(-time.Minute)); n != 3 {
			t.Fatalf("ip failures = %d, want 3 (clearing one key keeps the others)", n)
		}
	})
}

// TestMigrateAtOnce: instances starting together on one new database (on PostgreSQL, one
// schema) migrate it once between them — each migration recorded once, every instance ready —
// while a database in another schema of the same PostgreSQL database migrates beside them.
func TestMigrateAtOnce(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsns := []string{storetest.DSN(t, d), storetest.DSN(t, d)}
			var dbs []*store.DB
			for _, dsn := range []string{dsns[0], dsns[0], dsns[0], dsns[1]} {
				db, err := store.Open(context.Background(), dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs = append(dbs, db)
			}
			errs := make(chan error, len(dbs))
			for _, db := range dbs {
				go func() { _, err := db.Migrate(context.Background()); errs <- err }()
			}
			for range dbs {
				if err := <-errs; err != nil {
					t.Fatalf("migrate: %v", err)
				}
			}
			all, _ := store.Migrations(d)
			for _, db := range []*store.DB{dbs[0], dbs[3]} {
				var rows, versions int
				if err := db.SQL().QueryRow(`SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&rows, &versions); err != nil {
					t.Fatal(err)
				}
				if rows != len(all) || versions != len(all) {
					t.Errorf("schema_migrations: %d rows, %d versions; want %d", rows, versions, len(all))
				}
			}
		})
	}
}

// TestNewerMigrations: a version recorded by a newer opsdesk is reported; the known ones are not.
func TestNewerMigrations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if got, err := db.NewerMigrations(ctx); err != nil || len(got) != 0 {
			t.Fatalf("after Migrate: %v, %v; want none", got, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			9999, "from_the_future", 0); err != nil {
			t.Fatal(err)
		}
		if got, err := db.NewerMigrations(ctx); err != nil || !slices.Equal(got, []int{9999}) {
			t.Errorf("NewerMigrations = %v, %v; want [9999]", got, err)
		}
	})
}
