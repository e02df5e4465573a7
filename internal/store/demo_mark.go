package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// demoSetting is the settings key that marks a database filled by `opsdesk demo`.
const demoSetting = "demo"

// MarkDemo records that the database holds demonstration data, so every page can say so. Admins
// only (the demo generator runs as the CLI operator). Errors: forbidden.
func (d *DB) MarkDemo(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins mark a database as a demo")
	}
	return d.inTx(ctx, "store.MarkDemo", func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, 'true', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
			demoSetting, tx.now.UnixMilli())
		return err
	})
}

// IsDemo tells whether the database was filled by `opsdesk demo`. Anyone may ask: the banner is
// shown to every visitor, signed in or not.
func (d *DB) IsDemo(ctx context.Context) (bool, error) {
	var v string
	err := d.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, demoSetting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return v == "true", wrapErr("store.IsDemo", err)
}
