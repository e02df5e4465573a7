package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The queries of the environments' mails (package notify: maintenance announcements, expired
// access warnings; docs/environments.md, "Mails"). They read across customers, for the system's
// jobs: admins and ops managers (and the system actor) only.

func mayMailEnvironments(ctx context.Context) error {
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("the environments' mails are the system's")
	}
	return nil
}

// EnvFacts are what a mail says of an environment and its customer.
type EnvFacts struct {
	EnvID        int64
	EnvName      string
	EnvKind      opsdesk.EnvKind
	CustomerID   int64
	CustomerName string
	CustomerLang opsdesk.Lang
}

// MaintenanceNotice is a maintenance window waiting for its announcement to the customer.
type MaintenanceNotice struct {
	EnvFacts
	Window *opsdesk.MaintenanceWindow
}

// UnannouncedMaintenance lists up to limit windows never announced — new, or whose times changed
// since their announcement (UpdateMaintenance clears it) — and not over at instant at, by start.
// Errors: forbidden.
func (d *DB) UnannouncedMaintenance(ctx context.Context, at time.Time, limit int) ([]*MaintenanceNotice, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	cols := "m." + strings.ReplaceAll(maintenanceColumns, ", ", ", m.")
	rows, err := d.query(ctx, `SELECT `+cols+`, e.name, e.kind, c.id, c.name, c.lang
		FROM env_maintenance m JOIN environments e ON e.id = m.environment_id JOIN customers c ON c.id = e.customer_id
		WHERE m.announced_at IS NULL AND m.ends_at > ? ORDER BY m.starts_at, m.id LIMIT ?`, at.UnixMilli(), limit)
	out, err := collect(func(sc scanner) (*MaintenanceNotice, error) {
		var n MaintenanceNotice
		w, err := scanMaintenance(withExtra{sc, []any{&n.EnvName, &n.EnvKind, &n.CustomerID, &n.CustomerName, &n.CustomerLang}})
		if err != nil {
			return nil, err
		}
		n.Window, n.EnvID = w, w.EnvironmentID
		return &n, nil
	})(rows, err)
	return out, wrapErr("store.UnannouncedMaintenance", err)
}

// NoticeContacts lists the contacts of a customer that environment notices go to: every contact
// except those whose login to opsdesk is disabled, by address. Errors: forbidden.
func (d *DB) NoticeContacts(ctx context.Context, customerID int64) ([]*opsdesk.Contact, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return nil, err
	}
	cols := "k." + strings.ReplaceAll(contactColumns, ", ", ", k.")
	out, err := collect(scanContact)(d.query(ctx, `SELECT `+cols+` FROM contacts k
		WHERE k.customer_id = ? AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = k.email AND u.disabled)
		ORDER BY k.email`, customerID))
	return out, wrapErr("store.NoticeContacts", err)
}

// MarkAnnounced records that window w was announced at instant at — only if it still has the
// times it was announced with and is still unannounced: a window moved meanwhile stays to be
// announced again. It tells whether it marked it. Errors: forbidden.
func (d *DB) MarkAnnounced(ctx context.Context, w *opsdesk.MaintenanceWindow, at time.Time) (bool, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return false, err
	}
	res, err := d.exec(ctx, `UPDATE env_maintenance SET announced_at = ?
		WHERE id = ? AND starts_at = ? AND ends_at = ? AND announced_at IS NULL`,
		at.UnixMilli(), w.ID, w.StartsAt.UnixMilli(), w.EndsAt.UnixMilli())
	if err != nil {
		return false, opsdesk.Internal("store.MarkAnnounced", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrapErr("store.MarkAnnounced", err)
}

// GrantWarning is an expired access grant nobody was warned about yet, with its holder.
type GrantWarning struct {
	EnvFacts
	Grant      *opsdesk.AccessGrant
	HolderName string
	HolderLang opsdesk.Lang
	ManagerID  int64 // the holder's manager, 0 for none
}

// GrantsToWarn lists up to limit grants expired at instant at, neither revoked nor warned about,
// oldest expiry first. Errors: forbidden.
func (d *DB) GrantsToWarn(ctx context.Context, at time.Time, limit int) ([]*GrantWarning, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return nil, err
	}
	out, err := d.grantWarnings(ctx, `g.warned_at IS NULL AND g.expires_at <= ?`, limit, at.UnixMilli())
	return out, wrapErr("store.GrantsToWarn", err)
}

// GrantsExpiringSoon lists up to limit grants not revoked that expire after instant at but
// within notice of it, whose holder was not told yet — leaving out grants given for no longer
// than notice (their holder knows they are short) — soonest expiry first. Errors: forbidden.
func (d *DB) GrantsExpiringSoon(ctx context.Context, at time.Time, notice time.Duration, limit int) ([]*GrantWarning, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return nil, err
	}
	out, err := d.grantWarnings(ctx, `g.notice_at IS NULL AND g.expires_at > ? AND g.expires_at <= ? AND g.expires_at - g.granted_at > ?`,
		limit, at.UnixMilli(), at.Add(notice).UnixMilli(), notice.Milliseconds())
	return out, wrapErr("store.GrantsExpiringSoon", err)
}

// MarkGrantNoticed records that the holder of grant id was told, at instant at, that it expires
// soon, unless they were already; it tells whether it marked it. Errors: forbidden.
func (d *DB) MarkGrantNoticed(ctx context.Context, id int64, at time.Time) (bool, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return false, err
	}
	res, err := d.exec(ctx, `UPDATE env_access_grants SET notice_at = ? WHERE id = ? AND notice_at IS NULL`, at.UnixMilli(), id)
	if err != nil {
		return false, opsdesk.Internal("store.MarkGrantNoticed", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrapErr("store.MarkGrantNoticed", err)
}

// grantWarnings lists the grants not revoked that match cond, with their holder, environment and
// customer, by expiry.
func (d *DB) grantWarnings(ctx context.Context, cond string, limit int, args ...any) ([]*GrantWarning, error) {
	if limit <= 0 {
		limit = 100
	}
	q := strings.Replace(grantSelect, "FROM env_access_grants g", `, u.name, u.lang, u.manager_id, e.name, e.kind, c.id, c.name, c.lang
	FROM env_access_grants g`, 1) + ` JOIN environments e ON e.id = g.environment_id JOIN customers c ON c.id = e.customer_id
		WHERE g.revoked_at IS NULL AND ` + cond + ` ORDER BY g.expires_at, g.id LIMIT ?`
	rows, err := d.query(ctx, q, append(args, limit)...)
	return collect(func(sc scanner) (*GrantWarning, error) {
		var w GrantWarning
		var manager sql.NullInt64
		g, err := scanGrant(withExtra{sc, []any{&w.HolderName, &w.HolderLang, &manager, &w.EnvName, &w.EnvKind,
			&w.CustomerID, &w.CustomerName, &w.CustomerLang}})
		if err != nil {
			return nil, err
		}
		w.Grant, w.EnvID, w.ManagerID = g, g.EnvironmentID, manager.Int64
		return &w, nil
	})(rows, err)
}

// MarkGrantWarned records that the expiry of grant id was told, at instant at, unless it was
// already; it tells whether it marked it. Errors: forbidden.
func (d *DB) MarkGrantWarned(ctx context.Context, id int64, at time.Time) (bool, error) {
	if err := mayMailEnvironments(ctx); err != nil {
		return false, err
	}
	res, err := d.exec(ctx, `UPDATE env_access_grants SET warned_at = ? WHERE id = ? AND warned_at IS NULL`, at.UnixMilli(), id)
	if err != nil {
		return false, opsdesk.Internal("store.MarkGrantWarned", err)
	}
	n, err := res.RowsAffected()
	return n > 0, wrapErr("store.MarkGrantWarned", err)
}
