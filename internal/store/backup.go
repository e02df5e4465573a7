package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of a live SQLite database to path, while it keeps serving:
// VACUUM INTO reads one snapshot of the database and writes a compact, self-contained file. The
// copy is written next to path and renamed into place, so path is either the old file or a
// complete backup. PostgreSQL installations use pg_dump (docs/operations.md).
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.dialect != SQLite {
		return errors.New("backup: opsdesk backup copies SQLite databases; use pg_dump for PostgreSQL (see docs/operations.md)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := abs + ".partial"
	os.Remove(tmp)
	if _, err := d.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
