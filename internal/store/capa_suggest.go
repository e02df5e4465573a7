package store

import (
	"context"
	"fmt"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// SuggestMinIncidents is how many tickets a problem must have linked before an action is
// suggested for it.
const SuggestMinIncidents = 3

// suggestion is one candidate action found by SuggestActions.
type suggestion struct {
	key, title, clock string
	description       string
	kind              opsdesk.ActionKind
	source            opsdesk.ActionSource
	sourceID          int64
}

// SuggestActions proposes an action, once per source, for each problem with three or more
// linked tickets, each breached clock of a blocking ticket (from the SLA breach alerts), each
// survey answer rated 1 or 2, each done continuous-improvement task with findings (an audit
// finding) and each repeated or long probe incident of a production environment (the rule of
// probeSuggestions). A suggestion starts proposed, for the customer of its source when that is
// one customer's; its unique key (problem:<id>, sla:<ticket>:<clock>, survey:<id>,
// audit:<task>, probe:<ticket>) makes a second run — or a rejected suggestion — never propose it
// again. Meant for the scheduler (system actor) or staff. It returns the actions it created.
// Errors: not found for customers.
func (d *DB) SuggestActions(ctx context.Context) ([]*opsdesk.Action, error) {
	if err := mayWorkActions(ctx, 0); err != nil {
		return nil, err
	}
	by := opsdesk.ActorFrom(ctx).Label
	var out []*opsdesk.Action
	err := d.inTx(ctx, "store.SuggestActions", func(tx *Tx) error {
		out = nil
		if err := tx.lock(ctx, "capa:suggest"); err != nil {
			return err
		}
		cands, err := tx.suggestions(ctx)
		if err != nil {
			return err
		}
		for _, more := range []func(context.Context) ([]suggestion, error){tx.auditSuggestions, tx.probeSuggestions} {
			found, err := more(ctx)
			if err != nil {
				return err
			}
			cands = append(cands, found...)
		}
		for _, s := range cands {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM capa_actions WHERE suggest_key = ?`, s.key).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			customer, err := tx.customerOfSource(ctx, s.source, s.sourceID)
			if err != nil {
				return err
			}
			a := &opsdesk.Action{Kind: s.kind, Title: s.title, Description: s.description, Source: s.source, SourceID: s.sourceID,
				SourceClock: s.clock, SuggestKey: s.key, CustomerID: customer, Status: opsdesk.ActionProposed}
			if err := tx.insertAction(ctx, a, by, "suggested"); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (tx *Tx) suggestions(ctx context.Context) ([]suggestion, error) {
	var out []suggestion
	rows, err := tx.query(ctx, `SELECT p.id, p.title, COUNT(pt.ticket_id) FROM problems p JOIN problem_tickets pt ON pt.problem_id = p.id
		GROUP BY p.id, p.title HAVING COUNT(pt.ticket_id) >= ? ORDER BY p.id`, SuggestMinIncidents)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s suggestion
		var n int
		if err := rows.Scan(&s.sourceID, &s.title, &n); err != nil {
			rows.Close()
			return nil, err
		}
		s.key = fmt.Sprintf("problem:%d", s.sourceID)
		s.title = fmt.Sprintf("Prevent recurrence of %s (%d incidents): %s", opsdesk.ProblemKey(s.sourceID), n, s.title)
		s.kind, s.source = opsdesk.ActionPreventive, opsdesk.SourceProblem
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT DISTINCT a.ticket_id, a.clock, t.key FROM sla_alerts a JOIN tickets t ON t.id = a.ticket_id
		WHERE a.kind = ? AND t.severity = 'blocking' ORDER BY a.ticket_id, a.clock`, AlertBreach)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s suggestion
		var key string
		if err := rows.Scan(&s.sourceID, &s.clock, &key); err != nil {
			rows.Close()
			return nil, err
		}
		s.key = fmt.Sprintf("sla:%d:%s", s.sourceID, s.clock)
		s.title = fmt.Sprintf("SLA breach (%s) on blocking ticket %s", s.clock, key)
		s.kind, s.source = opsdesk.ActionCorrective, opsdesk.SourceSLABreach
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.query(ctx, `SELECT s.id, s.rating, t.key FROM surveys s JOIN tickets t ON t.id = s.ticket_id
		WHERE s.rating IN (1, 2) ORDER BY s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s suggestion
		var rating int
		var key string
		if err := rows.Scan(&s.sourceID, &rating, &key); err != nil {
			return nil, err
		}
		s.key = fmt.Sprintf("survey:%d", s.sourceID)
		s.title = fmt.Sprintf("Low satisfaction (%d/5) on ticket %s", rating, key)
		s.kind, s.source = opsdesk.ActionCorrective, opsdesk.SourceSurvey
		out = append(out, s)
	}
	return out, rows.Err()
}
