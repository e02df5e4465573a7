package store_test

import (
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestQualityMigrationKeepsActions: migration 0021 widens capa_actions.source (on SQLite by
// rebuilding the table) without losing an action, its customer or its history — which a plain
// DROP TABLE would cascade away — and the widened CHECK takes quality_target and still refuses
// an unknown source.
func TestQualityMigrationKeepsActions(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			db, all, apply := migrationSteps(t, d)
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.SQL().Exec(db.Rebind(q), args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			var quality store.Migration
			for _, m := range all {
				if m.Version < 21 {
					apply(m)
				} else if m.Version == 21 {
					quality = m
				}
			}
			exec(`INSERT INTO customers (code, name, created_at, updated_at) VALUES ('ACME', 'Acme', 1, 1)`)
			var cust int64
			if err := db.SQL().QueryRow(`SELECT id FROM customers WHERE code = 'ACME'`).Scan(&cust); err != nil {
				t.Fatal(err)
			}
			exec(`INSERT INTO capa_actions (id, kind, title, source, source_id, suggest_key, status, created_by, created_at, updated_at, customer_id)
				VALUES (7, 'corrective', 'Fix the disk', 'problem', 3, 'problem:3', 'proposed', 'test', 1, 2, ?)`, cust)
			exec(`INSERT INTO capa_history (action_id, at, by_label, change, note) VALUES (7, 1, 'test', 'suggested', ''), (7, 2, 'ops', 'edited', 'n')`)
			apply(quality)

			var title, key string
			var customer int64
			if err := db.SQL().QueryRow(`SELECT title, suggest_key, customer_id FROM capa_actions WHERE id = 7`).Scan(&title, &key, &customer); err != nil {
				t.Fatalf("the action is gone: %v", err)
			}
			if title != "Fix the disk" || key != "problem:3" || customer != cust {
				t.Errorf("action after the migration: %q %q %d", title, key, customer)
			}
			var n int
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM capa_history WHERE action_id = 7`).Scan(&n); err != nil || n != 2 {
				t.Errorf("history after the migration: %d rows, %v; want 2", n, err)
			}
			exec(`INSERT INTO capa_actions (kind, title, source, source_id, status, created_by, created_at, updated_at)
				VALUES ('corrective', 't', 'quality_target', 1, 'proposed', 'test', 1, 1)`)
			if _, err := db.SQL().Exec(`INSERT INTO capa_actions (kind, title, source, status, created_by, created_at, updated_at)
				VALUES ('corrective', 't', 'rumour', 'proposed', 'test', 1, 1)`); err == nil {
				t.Error("an unknown source was accepted")
			}
			// The key is still unique and the history still cascades with its action.
			if _, err := db.SQL().Exec(`INSERT INTO capa_actions (kind, title, source, source_id, suggest_key, status, created_by, created_at, updated_at)
				VALUES ('corrective', 't', 'problem', 3, 'problem:3', 'proposed', 'test', 1, 1)`); err == nil {
				t.Error("a second problem:3 suggestion was accepted")
			}
			exec(`DELETE FROM capa_actions WHERE id = 7`)
			if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM capa_history WHERE action_id = 7`).Scan(&n); err != nil || n != 0 {
				t.Errorf("history of a deleted action: %d rows, %v; want 0", n, err)
			}
		})
	}
}
