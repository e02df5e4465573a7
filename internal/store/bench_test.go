package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
)

// BenchmarkRawSQLiteInsert measures the physical write limit of SQLite on this disk, which later
// intake figures are compared with: one small row per transaction, at each durability setting,
// and 1,000 rows per transaction.
func BenchmarkRawSQLiteInsert(b *testing.B) {
	for _, sync := range []string{"normal", "full"} {
		for _, batch := range []int{1, 1000} {
			b.Run(fmt.Sprintf("sync=%s/rows-per-tx=%d", sync, batch), func(b *testing.B) {
				db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "raw.db"), store.Options{SQLiteSync: sync})
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				sqlDB := db.SQL()
				if _, err := sqlDB.Exec(`CREATE TABLE raw (id INTEGER PRIMARY KEY, at BIGINT, body TEXT)`); err != nil {
					b.Fatal(err)
				}
				rows := 0
				for b.Loop() {
					tx, err := sqlDB.Begin()
					if err != nil {
						b.Fatal(err)
					}
					for i := 0; i < batch; i++ {
						if _, err := tx.Exec(`INSERT INTO raw (at, body) VALUES (?, ?)`, rows, "a request of about a hundred bytes, the size of a ticket's subject and its fields"); err != nil {
							b.Fatal(err)
						}
						rows++
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
