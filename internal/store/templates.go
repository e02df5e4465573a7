package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// MailTemplate is an admin's override of a built-in notification template, for one kind of mail
// in one language: the subject and the text body (Go text/template) and the HTML body (Go
// html/template). The store keeps them as given; package notify checks them before saving.
type MailTemplate struct {
	Kind      string
	Lang      opsdesk.Lang
	Subject   string
	Text      string
	HTML      string
	UpdatedBy string
	UpdatedAt time.Time
}

const mailTemplateColumns = `kind, lang, subject, text_body, html_body, updated_by, updated_at`

func scanMailTemplate(sc scanner) (*MailTemplate, error) {
	var t MailTemplate
	var updated int64
	if err := sc.Scan(&t.Kind, &t.Lang, &t.Subject, &t.Text, &t.HTML, &t.UpdatedBy, &updated); err != nil {
		return nil, err
	}
	t.UpdatedAt = time.UnixMilli(updated).UTC()
	return &t, nil
}

// MailTemplate returns the override of a kind of mail in a language. Staff and the system only.
// Errors: forbidden, not found (no override: the built-in template applies).
func (d *DB) MailTemplate(ctx context.Context, kind string, lang opsdesk.Lang) (*MailTemplate, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads mail templates")
	}
	t, err := scanMailTemplate(d.queryRow(ctx, `SELECT `+mailTemplateColumns+` FROM mail_templates WHERE kind = ? AND lang = ?`, kind, lang))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no %s template in %s", kind, lang)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.MailTemplate", err)
	}
	return t, nil
}

// ListMailTemplates returns every override, by kind and language. Staff and the system only.
func (d *DB) ListMailTemplates(ctx context.Context) ([]*MailTemplate, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team reads mail templates")
	}
	out, err := collect(scanMailTemplate)(d.query(ctx, `SELECT `+mailTemplateColumns+` FROM mail_templates ORDER BY kind, lang`))
	return out, wrapErr("store.ListMailTemplates", err)
}

// SaveMailTemplate stores (or replaces) an override, recording who saved it, in the audit log
// too. It does not check the template: call notify's SaveTemplate, which does. Admins only.
// Errors: forbidden, invalid (no kind or language).
func (d *DB) SaveMailTemplate(ctx context.Context, t *MailTemplate) error {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsAdmin() {
		return opsdesk.Forbidden("only admins change mail templates")
	}
	if t.Kind == "" {
		return opsdesk.Invalid("kind", "is required")
	}
	if !t.Lang.Valid() {
		return opsdesk.Invalid("lang", "must be fr or en")
	}
	return d.inTx(ctx, "store.SaveMailTemplate", func(tx *Tx) error {
		t.UpdatedBy, t.UpdatedAt = a.Label, tx.now
		_, err := tx.exec(ctx, `INSERT INTO mail_templates (`+mailTemplateColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, lang) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body,
			html_body = excluded.html_body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			t.Kind, t.Lang, t.Subject, t.Text, t.HTML, t.UpdatedBy, tx.now.UnixMilli())
		if err != nil {
			return err
		}
		return tx.audit(ctx, "mail_template", 0, "save", []opsdesk.Change{{Field: "template", New: t.Kind + "/" + string(t.Lang)}})
	})
}

// DeleteMailTemplate removes an override, so the built-in template applies again. Admins only.
// Errors: forbidden, not found.
func (d *DB) DeleteMailTemplate(ctx context.Context, kind string, lang opsdesk.Lang) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins change mail templates")
	}
	return d.inTx(ctx, "store.DeleteMailTemplate", func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM mail_templates WHERE kind = ? AND lang = ?`, kind, lang)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return opsdesk.NotFound("no %s template in %s", kind, lang)
		}
		return tx.audit(ctx, "mail_template", 0, "reset", []opsdesk.Change{{Field: "template", Old: kind + "/" + string(lang)}})
	})
}
