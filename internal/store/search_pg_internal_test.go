package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// openPGSchema opens a fresh, migrated PostgreSQL schema (storetest imports this package, so
// internal tests make their own), dropped when the test ends.
func openPGSchema(t *testing.T) *DB {
	base := os.Getenv("OPSDESK_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("OPSDESK_TEST_POSTGRES_URL is not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := Open(context.Background(), u.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// A customer's ticket candidates, whichever way customerCandidates finds them (the walk alone,
// the walk then more walk, the walk then the GIN indexes), are the window most recent documents
// of that customer's tickets that hold every word — those the plain statement finds — and never
// another customer's or an internal note.
func TestCustomerCandidatesPostgres(t *testing.T) {
	db := openPGSchema(t)
	ctx := context.Background()
	// 600 documents: customers 1, 2 and 3 in turn, every fifth an internal note (no scope);
	// "alpha" in one in three, "beta" in one in eleven, "gamma" in one in ninety.
	for i := range 600 {
		text := fmt.Sprintf("doc%d", i)
		for _, w := range []struct {
			word  string
			every int
		}{{"alpha", 3}, {"beta", 11}, {"gamma", 90}} {
			if i%w.every == 0 {
				text += " " + w.word
			}
		}
		scope := fmt.Sprintf("{%d}", 1+i%3)
		if i%5 == 4 {
			scope = "{}"
		}
		if _, err := db.exec(ctx, `INSERT INTO search_docs (kind, ref_id, message_id, scope, tsv, title_tsv)
			VALUES ('ticket', ?, ?, ?::BIGINT[], to_tsvector('english', ?), ''::tsvector)`, i, i, scope, text); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name         string
		window, walk int
	}{
		{"fewer documents than the walk", 50, 1000},
		{"the walk fills the window", 10, 150},
		{"walks on", 40, 60},
		{"reads the GIN indexes", 40, 8},
	} {
		for _, text := range []string{"alpha", "beta", "alpha beta", "gamma", "delta"} {
			for _, customer := range []int64{1, 2} {
				t.Run(fmt.Sprintf("%s/%s/%d", c.name, text, customer), func(t *testing.T) {
					a := opsdesk.Actor{Role: opsdesk.RoleCustomer, CustomerID: customer}
					s := newPGSearch(parseQuery(text), a, opsdesk.SearchTickets)
					tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
					if err != nil {
						t.Fatal(err)
					}
					defer tx.Rollback()
					got, err := s.customerCandidates(pgRun{ctx: ctx, d: db, tx: tx}, c.window, c.walk)
					if err != nil {
						t.Fatal(err)
					}
					want, err := collect(scanID)(db.query(ctx, `SELECT d.id FROM search_docs d WHERE d.tsv @@ `+s.tsq+`
						AND d.kind = 'ticket' AND d.scope && ARRAY[?]::BIGINT[] ORDER BY d.id DESC LIMIT ?`,
						joinArgs(s.qargs, []any{customer, c.window})...))
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(got, want) {
						t.Fatalf("candidates = %v\nwant %v", got, want)
					}
					for _, id := range got {
						var ref int64
						if err := db.queryRow(ctx, `SELECT ref_id FROM search_docs WHERE id = ?`, id).Scan(&ref); err != nil {
							t.Fatal(err)
						}
						if ref%5 == 4 || 1+ref%3 != customer {
							t.Fatalf("document of ticket %d (another customer's, or a note) found for customer %d", ref, customer)
						}
					}
				})
			}
		}
	}
}
