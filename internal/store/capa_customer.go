package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// customerOfSource finds the customer an action's source record concerns, 0 when there is none
// or it is not one customer's: a problem belongs to a customer when all its linked tickets are of
// that one customer; an SLA breach and a probe incident are a ticket, a survey answer is about a
// ticket, an audit finding is a task of a project, each of one customer; a quality target names
// its customer, or none. A source record that no
// longer exists gives 0 (an action outlives its source). Suggestions call it to set CustomerID.
func (tx *Tx) customerOfSource(ctx context.Context, source opsdesk.ActionSource, sourceID int64) (int64, error) {
	var q string
	switch source {
	case opsdesk.SourceProblem:
		q = `SELECT CASE WHEN COUNT(DISTINCT t.customer_id) = 1 THEN MIN(t.customer_id) ELSE 0 END
			FROM problem_tickets pt JOIN tickets t ON t.id = pt.ticket_id WHERE pt.problem_id = ?`
	case opsdesk.SourceSLABreach, opsdesk.SourceProbe:
		q = `SELECT customer_id FROM tickets WHERE id = ?`
	case opsdesk.SourceSurvey:
		q = `SELECT t.customer_id FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE s.id = ?`
	case opsdesk.SourceAudit:
		q = `SELECT p.customer_id FROM project_tasks pt JOIN projects p ON p.id = pt.project_id WHERE pt.id = ?`
	case opsdesk.SourceQualityTarget:
		q = `SELECT customer_id FROM quality_targets WHERE id = ?`
	default:
		return 0, nil
	}
	if sourceID <= 0 {
		return 0, nil
	}
	var id sql.NullInt64
	err := tx.queryRow(ctx, q, sourceID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id.Int64, err
}

// checkActionCustomer makes sure an action's customer (0: none) exists.
func (tx *Tx) checkActionCustomer(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM customers WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opsdesk.Invalid("customer", "no such customer")
	}
	return nil
}
