package store_test

import (
	"context"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// migrationSteps opens a new, empty database of dialect d and returns it, closed when the test
// ends, with the dialect's migrations and a function applying one of them as Migrate does (its
// SQL in one transaction; no record), so that a test can write rows between two versions and
// check what a migration keeps.
func migrationSteps(t *testing.T, d store.Dialect) (*store.DB, []store.Migration, func(store.Migration)) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.DSN(t, d), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	all, err := store.Migrations(d)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(m store.Migration) {
		t.Helper()
		tx, err := db.SQL().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(m.SQL); err != nil {
			tx.Rollback()
			t.Fatalf("migration %04d_%s: %v", m.Version, m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	return db, all, apply
}
