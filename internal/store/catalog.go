package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// SeedDefaults fills the configurable lists — the severity scale, the categories and the default
// project template — with the defaults on a fresh database. Lists an admin has already filled
// are left alone. It is safe to run at every start and from several instances at once.
func (d *DB) SeedDefaults(ctx context.Context) error {
	return d.inTx(ctx, "store.SeedDefaults", func(tx *Tx) error {
		if err := tx.lock(ctx, "seed"); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM severities`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			for _, s := range opsdesk.DefaultSeverities {
				if _, err := tx.exec(ctx, `INSERT INTO severities (code, rank, label_fr, label_en, help_fr, help_en, requires_impact, default_type, kb_required, active)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)`, s.Code, s.Rank, s.LabelFR, s.LabelEN, s.HelpFR, s.HelpEN, s.RequiresImpact, s.DefaultType, s.KBRequired); err != nil {
					return err
				}
			}
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM categories`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			for _, c := range opsdesk.DefaultCategories {
				if _, err := tx.exec(ctx, `INSERT INTO categories (code, label_fr, label_en, level, group_code, active, display_order)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Code, c.LabelFR, c.LabelEN, c.Level, c.GroupCode, c.Active, c.DisplayOrder); err != nil {
					return err
				}
			}
		}
		return tx.seedProjectTemplate(ctx)
	})
}

const severityColumns = `code, rank, label_fr, label_en, help_fr, help_en, requires_impact, default_type, kb_required`

func scanSeverity(sc scanner) (*opsdesk.Severity, error) {
	var s opsdesk.Severity
	err := sc.Scan(&s.Code, &s.Rank, &s.LabelFR, &s.LabelEN, &s.HelpFR, &s.HelpEN, &s.RequiresImpact, &s.DefaultType, &s.KBRequired)
	return &s, err
}

// Severities lists the active severity scale, most severe first.
func (d *DB) Severities(ctx context.Context) ([]*opsdesk.Severity, error) {
	out, err := collect(scanSeverity)(d.query(ctx, `SELECT `+severityColumns+` FROM severities WHERE active ORDER BY rank`))
	return out, wrapErr("store.Severities", err)
}

func (tx *Tx) severity(ctx context.Context, code string) (*opsdesk.Severity, error) {
	s, err := scanSeverity(tx.queryRow(ctx, `SELECT `+severityColumns+` FROM severities WHERE code = ? AND active`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.Invalid("severity", "%q is not a severity", code)
	}
	return s, err
}

// SaveSeverity creates or updates a step of the severity scale. Admins only. Errors: invalid,
// forbidden, conflict (rank taken).
func (d *DB) SaveSeverity(ctx context.Context, s *opsdesk.Severity) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins change the severity scale")
	}
	if s.Code == "" || s.LabelFR == "" || s.LabelEN == "" {
		return opsdesk.Invalid("code", "a severity needs a code and labels in French and English")
	}
	if s.Rank < 1 {
		return opsdesk.Invalid("rank", "must be 1 or more (1 is the most severe)")
	}
	if s.DefaultType == "" {
		s.DefaultType = opsdesk.TypeIncident
	}
	if !s.DefaultType.Valid() {
		return opsdesk.Invalid("default_type", "is not a ticket type")
	}
	return d.inTx(ctx, "store.SaveSeverity", func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO severities (code, rank, label_fr, label_en, help_fr, help_en, requires_impact, default_type, kb_required, active)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)
			ON CONFLICT (code) DO UPDATE SET rank = excluded.rank, label_fr = excluded.label_fr, label_en = excluded.label_en,
				help_fr = excluded.help_fr, help_en = excluded.help_en, requires_impact = excluded.requires_impact,
				default_type = excluded.default_type, kb_required = excluded.kb_required, active = TRUE`,
			s.Code, s.Rank, s.LabelFR, s.LabelEN, s.HelpFR, s.HelpEN, s.RequiresImpact, s.DefaultType, s.KBRequired)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("rank", "another severity has rank %d", s.Rank)
		}
		return err
	})
}

const categoryColumns = `code, label_fr, label_en, level, group_code, active, display_order`

func scanCategory(sc scanner) (*opsdesk.Category, error) {
	var c opsdesk.Category
	err := sc.Scan(&c.Code, &c.LabelFR, &c.LabelEN, &c.Level, &c.GroupCode, &c.Active, &c.DisplayOrder)
	return &c, err
}

// Categories lists the categories (only active ones unless all is true), in display order.
func (d *DB) Categories(ctx context.Context, all bool) ([]*opsdesk.Category, error) {
	q := `SELECT ` + categoryColumns + ` FROM categories`
	if !all {
		q += ` WHERE active`
	}
	out, err := collect(scanCategory)(d.query(ctx, q+` ORDER BY display_order, code`))
	return out, wrapErr("store.Categories", err)
}

func (tx *Tx) category(ctx context.Context, code string) (*opsdesk.Category, error) {
	c, err := scanCategory(tx.queryRow(ctx, `SELECT `+categoryColumns+` FROM categories WHERE code = ? AND active`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.Invalid("category", "%q is not a category", code)
	}
	return c, err
}

// SaveCategory creates or updates a category and its routing (level, group). Admins and ops
// managers. Errors: invalid, forbidden.
func (d *DB) SaveCategory(ctx context.Context, c *opsdesk.Category) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers change categories")
	}
	if c.Code == "" || c.LabelFR == "" || c.LabelEN == "" {
		return opsdesk.Invalid("code", "a category needs a code and labels in French and English")
	}
	if !c.Level.Valid() {
		return opsdesk.Invalid("level", "must be N1, N2 or N3")
	}
	return d.inTx(ctx, "store.SaveCategory", func(tx *Tx) error {
		if c.GroupCode != "" {
			var level opsdesk.Level
			if err := tx.queryRow(ctx, `SELECT level FROM support_groups WHERE code = ?`, c.GroupCode).Scan(&level); err != nil {
				return opsdesk.Invalid("group", "no group %q", c.GroupCode)
			}
			if level != c.Level {
				return opsdesk.Invalid("group", "group %s works at %s, not %s", c.GroupCode, level, c.Level)
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO categories (code, label_fr, label_en, level, group_code, active, display_order)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET label_fr = excluded.label_fr, label_en = excluded.label_en, level = excluded.level,
				group_code = excluded.group_code, active = excluded.active, display_order = excluded.display_order`,
			c.Code, c.LabelFR, c.LabelEN, c.Level, c.GroupCode, c.Active, c.DisplayOrder)
		return err
	})
}
