package store

import (
	"context"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ResolveProblem marks a problem resolved and, when notify is true, posts message as a public
// reply on every linked ticket that is still active (new, open, waiting for the customer) — the
// reply the requester is mailed, through the same path as an agent's answer. Each linked ticket
// gets the message at most once: a retried or repeated resolution (the problem already
// resolved, or resolved again after a reopening) posts only on the tickets not yet told.
// Resolved and closed tickets are not written to. Staff only. Errors: invalid (message),
// forbidden, not found, conflict (the problem is closed).
func (d *DB) ResolveProblem(ctx context.Context, id int64, notify bool, message string) (*opsdesk.ProblemResolution, error) {
	if err := mayWorkProblems(ctx); err != nil {
		return nil, err
	}
	message = strings.TrimSpace(message)
	if notify && message == "" {
		return nil, opsdesk.Invalid("message", "is required to notify the requesters")
	}
	if len(message) > 200_000 {
		return nil, opsdesk.Invalid("message", "is longer than 200,000 characters")
	}
	res := &opsdesk.ProblemResolution{Notified: []string{}}
	err := d.inTx(ctx, "store.ResolveProblem", func(tx *Tx) error {
		res.Notified = res.Notified[:0]
		if err := tx.lockProblem(ctx, id); err != nil {
			return err
		}
		old, err := tx.problemByID(ctx, id)
		if err != nil {
			return err
		}
		switch old.Status {
		case opsdesk.ProblemClosed:
			return opsdesk.Conflict("status", "%s is closed", old.Key)
		case opsdesk.ProblemResolved: // a retry: resolved already, tell whoever was not told
		default:
			p := *old
			p.Status = opsdesk.ProblemResolved
			if err := tx.saveProblem(ctx, old, &p, &res.Problem); err != nil {
				return err
			}
		}
		if notify {
			if res.Notified, err = tx.notifyLinked(ctx, id, message); err != nil {
				return err
			}
		}
		res.Problem, err = tx.problemByID(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, k := range res.Notified {
		d.notify(TicketChange{Key: k, Kind: "message"})
	}
	return res, nil
}

// notifyLinked posts the resolution message on the active linked tickets not told yet, and
// remembers on each link the message it posted. It returns the tickets written to.
func (tx *Tx) notifyLinked(ctx context.Context, problemID int64, body string) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT t.key FROM problem_tickets pt JOIN tickets t ON t.id = pt.ticket_id
		WHERE pt.problem_id = ? AND pt.notified_message_id IS NULL AND t.active ORDER BY t.number`, problemID)
	if err != nil {
		return nil, err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	a := opsdesk.ActorFrom(ctx)
	out := []string{}
	for _, k := range keys {
		t, err := tx.ticketByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		m := &opsdesk.Message{TicketID: t.ID, Body: body, Channel: opsdesk.ChannelWeb, AuthorUserID: a.UserID, AuthorLabel: a.Label}
		if err := tx.addMessage(ctx, m, nil, true); err != nil {
			return nil, err
		}
		if err := tx.emit(ctx, opsdesk.TicketMessage, t, m.ID, false); err != nil {
			return nil, err
		}
		if t.Status == opsdesk.StatusNew { // the team's first public answer takes it in charge, as AddMessage does
			if err := tx.setStatus(ctx, t, opsdesk.StatusOpen, "first answer"); err != nil {
				return nil, err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE problem_tickets SET notified_message_id = ? WHERE ticket_id = ?`, m.ID, t.ID); err != nil {
			return nil, err
		}
		out = append(out, t.Key)
	}
	return out, nil
}
