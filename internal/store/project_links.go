package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// resolveLink finds the ticket (a ticket key of the project's customer) or the problem
// ("PRB-12") that key names. Errors: invalid on "key".
func (t *Tx) resolveLink(ctx context.Context, p *opsdesk.Project, key string) (ticketID, problemID int64, err error) {
	key = strings.TrimSpace(key)
	if n, ok := strings.CutPrefix(strings.ToUpper(key), "PRB-"); ok {
		id, _ := strconv.ParseInt(n, 10, 64)
		var c int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM problems WHERE id = ?`, id).Scan(&c); err != nil {
			return 0, 0, err
		}
		if c == 0 {
			return 0, 0, opsdesk.Invalid("key", "no problem %s", key)
		}
		return 0, id, nil
	}
	if key == "" {
		return 0, 0, opsdesk.Invalid("key", "give a ticket or problem key")
	}
	id, err := t.linkedTicket(ctx, "key", key, p.CustomerID, "")
	return id, 0, err
}

// LinkProjectTicket links a ticket of the project's customer (an incident, an access request…) or a
// problem ("PRB-12") raised during the project. Staff only; linking twice is a conflict.
// Errors: invalid, forbidden, not found, conflict.
func (d *DB) LinkProjectTicket(ctx context.Context, projectID int64, key string) error {
	return d.inTx(ctx, "store.LinkProjectTicket", func(tx *Tx) error {
		p, err := tx.projectToWrite(ctx, projectID, false)
		if err != nil {
			return err
		}
		tid, pid, err := tx.resolveLink(ctx, p, key)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO project_links (project_id, ticket_id, problem_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)`,
			projectID, nullID(tid), nullID(pid), opsdesk.ActorFrom(ctx).Label, tx.now.UnixMilli())
		if isUniqueViolation(err) {
			return opsdesk.Conflict("key", "%s is already linked to this project", key)
		}
		if err != nil {
			return err
		}
		return tx.projectEvent(ctx, projectID, "link", 0, 0, 0, strings.ToUpper(strings.TrimSpace(key)))
	})
}

// UnlinkProjectTicket removes the link of a ticket or problem from a project. Staff only.
// Errors: invalid, forbidden, not found (project, or no such link).
func (d *DB) UnlinkProjectTicket(ctx context.Context, projectID int64, key string) error {
	return d.inTx(ctx, "store.UnlinkProjectTicket", func(tx *Tx) error {
		p, err := tx.projectToWrite(ctx, projectID, false)
		if err != nil {
			return err
		}
		tid, pid, err := tx.resolveLink(ctx, p, key)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM project_links WHERE project_id = ? AND (ticket_id = ? OR problem_id = ?)`, projectID, tid, pid)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return opsdesk.NotFound("%s is not linked to this project", key)
		}
		return tx.projectEvent(ctx, projectID, "unlink", 0, 0, 0, strings.ToUpper(strings.TrimSpace(key)))
	})
}

// ProjectLinks lists the tickets and problems linked to a project, oldest link first. A
// customer sees the linked tickets (their own organisation's), not problems.
// Errors: forbidden, not found.
func (d *DB) ProjectLinks(ctx context.Context, projectID int64) ([]*opsdesk.ProjectLink, error) {
	if _, err := readProject(ctx, d, projectID); err != nil {
		return nil, wrapErr("store.ProjectLinks", err)
	}
	q := `SELECT l.project_id, l.ticket_id, l.problem_id, COALESCE(t.key, ''), COALESCE(t.subject, pr.title, ''),
		COALESCE(t.status, pr.status, ''), l.linked_by, l.linked_at
		FROM project_links l LEFT JOIN tickets t ON t.id = l.ticket_id LEFT JOIN problems pr ON pr.id = l.problem_id
		WHERE l.project_id = ?`
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		q += ` AND l.ticket_id IS NOT NULL`
	}
	out, err := collect(func(sc scanner) (*opsdesk.ProjectLink, error) {
		var l opsdesk.ProjectLink
		var tid, pid sql.NullInt64
		var at int64
		if err := sc.Scan(&l.ProjectID, &tid, &pid, &l.Key, &l.Subject, &l.Status, &l.LinkedBy, &at); err != nil {
			return nil, err
		}
		l.Kind, l.RefID = "ticket", tid.Int64
		if pid.Valid {
			l.Kind, l.RefID, l.Key = "problem", pid.Int64, "PRB-"+strconv.FormatInt(pid.Int64, 10)
		}
		l.LinkedAt = fromMS(valid(at))
		return &l, nil
	})(d.query(ctx, q+` ORDER BY l.id`, projectID))
	return out, wrapErr("store.ProjectLinks", err)
}

// ProjectHistory returns a project's history, oldest first: who did what when, comments
// included. Errors: forbidden, not found.
func (d *DB) ProjectHistory(ctx context.Context, projectID int64) ([]*opsdesk.ProjectEvent, error) {
	if _, err := readProject(ctx, d, projectID); err != nil {
		return nil, wrapErr("store.ProjectHistory", err)
	}
	out, err := collect(func(sc scanner) (*opsdesk.ProjectEvent, error) {
		var e opsdesk.ProjectEvent
		var actor, phase, item, task sql.NullInt64
		var at int64
		if err := sc.Scan(&e.ID, &e.ProjectID, &at, &actor, &e.Actor, &e.Action, &phase, &item, &task, &e.Detail); err != nil {
			return nil, err
		}
		e.At, e.ActorID, e.PhaseID, e.ItemID, e.TaskID = fromMS(valid(at)), actor.Int64, phase.Int64, item.Int64, task.Int64
		return &e, nil
	})(d.query(ctx, `SELECT id, project_id, at, actor_id, actor_label, action, phase_id, item_id, task_id, detail
		FROM project_events WHERE project_id = ? ORDER BY id`, projectID))
	if err == nil && opsdesk.ActorFrom(ctx).IsCustomer() {
		// Problems are the vendor's: their links stay out of a customer's view.
		out = slices.DeleteFunc(out, func(e *opsdesk.ProjectEvent) bool {
			return (e.Action == "link" || e.Action == "unlink") && strings.HasPrefix(e.Detail, "PRB-")
		})
	}
	return out, wrapErr("store.ProjectHistory", err)
}
