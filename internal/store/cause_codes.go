package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const causeColumns = `code, label_fr, label_en, position, active`

func scanCause(sc scanner) (*opsdesk.CauseCode, error) {
	var c opsdesk.CauseCode
	err := sc.Scan(&c.Code, &c.LabelFR, &c.LabelEN, &c.Position, &c.Active)
	return &c, err
}

// CauseCodes lists the catalog of resolution causes (only active ones unless all is true), in
// display order. Staff only: causes are internal. Errors: forbidden, unauthenticated.
func (d *DB) CauseCodes(ctx context.Context, all bool) ([]*opsdesk.CauseCode, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("cause codes are for the vendor's team")
	}
	q := `SELECT ` + causeColumns + ` FROM cause_codes`
	if !all {
		q += ` WHERE active`
	}
	out, err := collect(scanCause)(d.query(ctx, q+` ORDER BY position, code`))
	return out, wrapErr("store.CauseCodes", err)
}

// causeCode reads an active cause code; an unknown or retired one is invalid (field cause).
func (tx *Tx) causeCode(ctx context.Context, code string) (*opsdesk.CauseCode, error) {
	c, err := scanCause(tx.queryRow(ctx, `SELECT `+causeColumns+` FROM cause_codes WHERE code = ? AND active`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.Invalid("cause", "%q is not a cause code", code)
	}
	return c, err
}

// causeLabel names a cause code, retired ones included; the code itself when it is unknown.
func (tx *Tx) causeLabel(ctx context.Context, code string, lang opsdesk.Lang) string {
	c, err := scanCause(tx.queryRow(ctx, `SELECT `+causeColumns+` FROM cause_codes WHERE code = ?`, code))
	if err != nil {
		return code
	}
	return c.Label(lang)
}

// SaveCauseCode creates or updates an entry of the cause catalog. A cause is retired (Active
// false) rather than deleted: tickets keep the code they were resolved with. Admins and ops
// managers. Errors: invalid, forbidden.
func (d *DB) SaveCauseCode(ctx context.Context, c *opsdesk.CauseCode) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers change cause codes")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.SaveCauseCode", func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO cause_codes (code, label_fr, label_en, position, active) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET label_fr = excluded.label_fr, label_en = excluded.label_en,
				position = excluded.position, active = excluded.active`,
			c.Code, c.LabelFR, c.LabelEN, c.Position, c.Active)
		return err
	})
}
