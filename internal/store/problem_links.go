package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// LinkTicket links a ticket to a problem. A ticket links to at most one problem; the link is
// written in the ticket's history (an internal line: customers never see problems) and in the
// problem's audit. Staff only. Errors: forbidden, not found (problem or ticket), conflict (the
// problem is closed, or the ticket is already linked).
func (d *DB) LinkTicket(ctx context.Context, problemID int64, key string) (*opsdesk.Problem, error) {
	return d.changeLink(ctx, "store.LinkTicket", problemID, key, "link the ticket to an open problem",
		func(tx *Tx, p *opsdesk.Problem, t *opsdesk.Ticket) error {
			if other, err := tx.problemOfTicket(ctx, t.ID); err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
				return err
			} else if err == nil {
				if other.ID == p.ID {
					return opsdesk.Conflict("ticket", "%s is already linked to %s", t.Key, p.Key)
				}
				return opsdesk.Conflict("ticket", "%s is linked to %s: unlink it there first", t.Key, other.Key)
			}
			_, err := tx.exec(ctx, `INSERT INTO problem_tickets (ticket_id, problem_id, linked_by, linked_at) VALUES (?, ?, ?, ?)`,
				t.ID, p.ID, opsdesk.ActorFrom(ctx).Label, tx.now.UnixMilli())
			if isUniqueViolation(err) {
				return opsdesk.Conflict("ticket", "%s is already linked to a problem", t.Key)
			}
			if err != nil {
				return err
			}
			return tx.linkChanged(ctx, p, t, "", p.String(), "link", opsdesk.Change{Field: "ticket", New: t.Key})
		})
}

// UnlinkTicket removes a ticket from a problem, with a line in the ticket's history and the
// problem's audit. Staff only. Errors: forbidden, not found (problem, ticket, or no such link),
// conflict (the problem is closed).
func (d *DB) UnlinkTicket(ctx context.Context, problemID int64, key string) (*opsdesk.Problem, error) {
	return d.changeLink(ctx, "store.UnlinkTicket", problemID, key, "its tickets stay linked",
		func(tx *Tx, p *opsdesk.Problem, t *opsdesk.Ticket) error {
			res, err := tx.exec(ctx, `DELETE FROM problem_tickets WHERE ticket_id = ? AND problem_id = ?`, t.ID, p.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return opsdesk.NotFound("%s is not linked to %s", t.Key, p.Key)
			}
			return tx.linkChanged(ctx, p, t, p.String(), "", "unlink", opsdesk.Change{Field: "ticket", Old: t.Key})
		})
}

// changeLink runs change on a problem and a ticket, in one transaction with the problem locked:
// staff only, the problem open (closedHint completes the conflict's message), the ticket visible.
// It returns the problem as changed and tells the ticket's watchers.
func (d *DB) changeLink(ctx context.Context, op string, problemID int64, key, closedHint string,
	change func(tx *Tx, p *opsdesk.Problem, t *opsdesk.Ticket) error) (*opsdesk.Problem, error) {
	if err := mayWorkProblems(ctx); err != nil {
		return nil, err
	}
	var out *opsdesk.Problem
	var tkey string
	err := d.inTx(ctx, op, func(tx *Tx) error {
		if err := tx.lockProblem(ctx, problemID); err != nil {
			return err
		}
		p, err := tx.problemByID(ctx, problemID)
		if err != nil {
			return err
		}
		if p.Status == opsdesk.ProblemClosed {
			return opsdesk.Conflict("status", "%s is closed: %s", p.Key, closedHint)
		}
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		tkey = t.Key
		if err := change(tx, p, t); err != nil {
			return err
		}
		out, err = tx.problemByID(ctx, p.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: tkey, Kind: "updated"})
	return out, nil
}

// linkChanged records a link or unlink: an internal line of the ticket's history (field
// "problem", old → new), the problem's audit entry, and the problem marked changed.
func (tx *Tx) linkChanged(ctx context.Context, p *opsdesk.Problem, t *opsdesk.Ticket, old, new, action string, c opsdesk.Change) error {
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventChange, Field: "problem", Old: old, New: new, Internal: true}); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE problems SET updated_at = ?, version = version + 1 WHERE id = ?`, tx.now.UnixMilli(), p.ID); err != nil {
		return err
	}
	return tx.audit(ctx, "problem", p.ID, action, []opsdesk.Change{c})
}

func (tx *Tx) problemOfTicket(ctx context.Context, ticketID int64) (*opsdesk.Problem, error) {
	p, err := scanProblem(tx.queryRow(ctx, problemSelect+` WHERE p.id = (SELECT problem_id FROM problem_tickets WHERE ticket_id = ?)`, ticketID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no problem linked")
	}
	return p, err
}

// TicketProblem returns the problem a ticket is linked to. Staff only. Errors: forbidden, not
// found (no such ticket, or the ticket is linked to no problem).
func (d *DB) TicketProblem(ctx context.Context, key string) (*opsdesk.Problem, error) {
	if err := mayWorkProblems(ctx); err != nil {
		return nil, err
	}
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	p, err := scanProblem(d.queryRow(ctx, problemSelect+` WHERE p.id = (SELECT problem_id FROM problem_tickets WHERE ticket_id = ?)`, t.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("%s is linked to no problem", t.Key)
	}
	return p, wrapErr("store.TicketProblem", err)
}

// ProblemTickets lists the tickets of a problem, by number, with who linked them and whether
// the resolution was posted on them. Staff only. Errors: forbidden, not found.
func (d *DB) ProblemTickets(ctx context.Context, problemID int64) ([]*opsdesk.LinkedTicket, error) {
	if _, err := d.ProblemByID(ctx, problemID); err != nil {
		return nil, err
	}
	cols := strings.Replace(ticketSelect, "SELECT ", "SELECT pt.linked_by, pt.linked_at, pt.notified_message_id, ", 1)
	q := strings.Replace(cols, "FROM tickets t", "FROM problem_tickets pt JOIN tickets t ON t.id = pt.ticket_id", 1)
	out, err := collect(func(sc scanner) (*opsdesk.LinkedTicket, error) {
		var l opsdesk.LinkedTicket
		var at int64
		var msg sql.NullInt64
		t, err := scanTicket(prefixScanner{sc, []any{&l.LinkedBy, &at, &msg}})
		l.Ticket, l.LinkedAt, l.NotifiedMessageID = t, fromMS(sql.NullInt64{Int64: at, Valid: true}), msg.Int64
		return &l, err
	})(d.query(ctx, q+` WHERE pt.problem_id = ? ORDER BY t.number`, problemID))
	return out, wrapErr("store.ProblemTickets", err)
}

// prefixScanner scans some leading columns into its own destinations before the rest.
type prefixScanner struct {
	sc   scanner
	head []any
}

func (p prefixScanner) Scan(dest ...any) error { return p.sc.Scan(append(p.head, dest...)...) }
