package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// seedProjectTemplate inserts the default project template when no template exists yet; one a
// admin has edited (or deleted and replaced) is left alone. Called by SeedDefaults.
func (t *Tx) seedProjectTemplate(ctx context.Context) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM project_templates`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	tpl := opsdesk.DefaultProjectTemplate()
	if err := tpl.Validate(); err != nil {
		return err
	}
	return t.insertTemplate(ctx, tpl)
}

func (t *Tx) insertTemplate(ctx context.Context, tpl *opsdesk.ProjectTemplate) error {
	id, err := t.insert(ctx, `INSERT INTO project_templates (code, name_fr, name_en, is_default, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tpl.Code, tpl.NameFR, tpl.NameEN, tpl.IsDefault, t.now.UnixMilli(), t.now.UnixMilli())
	if isUniqueViolation(err) {
		return opsdesk.Conflict("code", "a template %s already exists", tpl.Code)
	}
	if err != nil {
		return err
	}
	tpl.ID, tpl.UpdatedAt = id, t.now
	return t.insertTemplatePhases(ctx, tpl)
}

func (t *Tx) insertTemplatePhases(ctx context.Context, tpl *opsdesk.ProjectTemplate) error {
	for i, p := range tpl.Phases {
		pid, err := t.insert(ctx, `INSERT INTO project_template_phases (template_id, position, code, name_fr, name_en)
			VALUES (?, ?, ?, ?, ?)`, tpl.ID, i+1, p.Code, p.NameFR, p.NameEN)
		if err != nil {
			return err
		}
		for j, it := range p.Items {
			if _, err := t.exec(ctx, `INSERT INTO project_template_items (phase_id, position, kind, title_fr, title_en,
				description_fr, description_en, owner_side, offset_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				pid, j+1, it.Kind, it.TitleFR, it.TitleEN, it.DescriptionFR, it.DescriptionEN, it.OwnerSide, it.OffsetDays); err != nil {
				return err
			}
		}
	}
	return nil
}

// SaveProjectTemplate creates a template (ID 0) or replaces an existing one's names, phases and
// items as a whole. Projects already created from it keep their own copy and do not change.
// Making a template the default takes the flag from the others. Admins only.
// Errors: invalid, forbidden, not found, conflict (code taken).
func (d *DB) SaveProjectTemplate(ctx context.Context, tpl *opsdesk.ProjectTemplate) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins edit project templates")
	}
	if err := tpl.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.SaveProjectTemplate", func(tx *Tx) error {
		if tpl.IsDefault {
			if _, err := tx.exec(ctx, `UPDATE project_templates SET is_default = FALSE WHERE id <> ?`, tpl.ID); err != nil {
				return err
			}
		}
		if tpl.ID == 0 {
			return tx.insertTemplate(ctx, tpl)
		}
		res, err := tx.exec(ctx, `UPDATE project_templates SET code = ?, name_fr = ?, name_en = ?, is_default = ?, updated_at = ?
			WHERE id = ?`, tpl.Code, tpl.NameFR, tpl.NameEN, tpl.IsDefault, tx.now.UnixMilli(), tpl.ID)
		if isUniqueViolation(err) {
			return opsdesk.Conflict("code", "a template %s already exists", tpl.Code)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return opsdesk.NotFound("no project template %d", tpl.ID)
		}
		if _, err := tx.exec(ctx, `DELETE FROM project_template_phases WHERE template_id = ?`, tpl.ID); err != nil {
			return err
		}
		tpl.UpdatedAt = tx.now
		return tx.insertTemplatePhases(ctx, tpl)
	})
}

// ProjectTemplates lists the templates with their phases and items, the default first. Staff only.
func (d *DB) ProjectTemplates(ctx context.Context) ([]*opsdesk.ProjectTemplate, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads project templates")
	}
	ids, err := collect(scanInt64)(d.query(ctx, `SELECT id FROM project_templates ORDER BY is_default DESC, code`))
	if err != nil {
		return nil, wrapErr("store.ProjectTemplates", err)
	}
	var out []*opsdesk.ProjectTemplate
	for _, id := range ids {
		tpl, err := readTemplate(ctx, d, id, "")
		if err != nil {
			return nil, wrapErr("store.ProjectTemplates", err)
		}
		out = append(out, tpl)
	}
	return out, nil
}

// ProjectTemplate returns a template by code ("" for the default one). Staff only.
// Errors: forbidden, not found.
func (d *DB) ProjectTemplate(ctx context.Context, code string) (*opsdesk.ProjectTemplate, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads project templates")
	}
	tpl, err := readTemplate(ctx, d, 0, code)
	return tpl, wrapErr("store.ProjectTemplate", err)
}

// reader is what both *DB (outside a transaction) and *Tx offer for reading, so the project
// readers serve the read methods and the write transactions alike.
type reader interface {
	query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// readTemplate reads a template by id, or by code when id is 0 ("" for the default one), with its
// phases and items. Errors: not found (invalid on "template" for an unknown code).
func readTemplate(ctx context.Context, t reader, id int64, code string) (*opsdesk.ProjectTemplate, error) {
	q := `SELECT id, code, name_fr, name_en, is_default, updated_at FROM project_templates `
	var row *sql.Row
	switch {
	case id != 0:
		row = t.queryRow(ctx, q+`WHERE id = ?`, id)
	case code != "":
		row = t.queryRow(ctx, q+`WHERE code = ?`, code)
	default:
		row = t.queryRow(ctx, q+`ORDER BY is_default DESC, id LIMIT 1`)
	}
	var tpl opsdesk.ProjectTemplate
	var updated int64
	err := row.Scan(&tpl.ID, &tpl.Code, &tpl.NameFR, &tpl.NameEN, &tpl.IsDefault, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		if code == "" && id == 0 {
			return nil, opsdesk.NotFound("no project template")
		}
		return nil, opsdesk.Invalid("template", "no project template %q", code)
	}
	if err != nil {
		return nil, err
	}
	tpl.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
	rows, err := t.query(ctx, `SELECT p.code, p.name_fr, p.name_en, i.id, i.kind, i.title_fr, i.title_en, i.description_fr,
		i.description_en, i.owner_side, i.offset_days
		FROM project_template_phases p LEFT JOIN project_template_items i ON i.phase_id = p.id
		WHERE p.template_id = ? ORDER BY p.position, i.position`, tpl.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p opsdesk.TemplatePhase
		var itemID sql.NullInt64
		var it opsdesk.TemplateItem
		var kind, tfr, ten, dfr, den, side sql.NullString
		var off sql.NullInt64
		if err := rows.Scan(&p.Code, &p.NameFR, &p.NameEN, &itemID, &kind, &tfr, &ten, &dfr, &den, &side, &off); err != nil {
			return nil, err
		}
		if n := len(tpl.Phases); n == 0 || tpl.Phases[n-1].Code != p.Code {
			tpl.Phases = append(tpl.Phases, p)
		}
		if itemID.Valid {
			it = opsdesk.TemplateItem{Kind: opsdesk.ItemKind(kind.String), TitleFR: tfr.String, TitleEN: ten.String,
				DescriptionFR: dfr.String, DescriptionEN: den.String, OwnerSide: opsdesk.OwnerSide(side.String), OffsetDays: int(off.Int64)}
			last := &tpl.Phases[len(tpl.Phases)-1]
			last.Items = append(last.Items, it)
		}
	}
	return &tpl, rows.Err()
}
