// Package storetest opens real, migrated, throw-away databases for tests: a SQLite file in the
// test's temporary directory always, and a fresh PostgreSQL schema whenever
// OPSDESK_TEST_POSTGRES_URL is set. Every store test runs on each of them, the same test twice.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
)

// PostgresEnv is the variable that points the PostgreSQL half of the suite at a server.
const PostgresEnv = "OPSDESK_TEST_POSTGRES_URL"

var noticeOnce sync.Once

// Dialects lists the dialects the suite runs on in this environment.
func Dialects() []store.Dialect {
	if os.Getenv(PostgresEnv) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	noticeOnce.Do(func() {
		fmt.Fprintf(os.Stderr, "storetest: %s is not set: running the SQLite half only (.ci/run runs both)\n", PostgresEnv)
	})
	return []store.Dialect{store.SQLite}
}

// Each runs fn as a subtest once per dialect, each with its own fresh, migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database of dialect d, closed and removed when the test ends.
func Open(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	dsn := DSN(tb, d)
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", d, err)
	}
	return db
}

// DSN returns the URL of a fresh, empty database of dialect d (not migrated), dropped when the
// test ends. Tests that start the whole program or several instances use it.
func DSN(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	switch d {
	case store.SQLite:
		return filepath.Join(tb.TempDir(), "opsdesk.db")
	case store.Postgres:
		base := os.Getenv(PostgresEnv)
		if base == "" {
			tb.Fatalf("%s is not set", PostgresEnv)
		}
		return freshSchema(tb, base)
	}
	tb.Fatalf("unknown dialect %q", d)
	return ""
}

// freshSchema creates a uniquely named schema and returns base with search_path pointing at it.
func freshSchema(tb testing.TB, base string) string {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("postgres: create schema: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("postgres: bad %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
