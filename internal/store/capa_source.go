package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ActionSourceRef names an action's source record for a page: its label (a ticket or problem
// number, a project task's title, a quality target's indicator) and the path of its page. Both are empty for a manual action
// or a source record that no longer exists.
type ActionSourceRef struct {
	Label, Path string
}

// ActionSource finds what an action's source record is called and where its page is. Staff only
// (customers: not found). Errors: not found.
func (d *DB) ActionSource(ctx context.Context, a *opsdesk.Action) (ActionSourceRef, error) {
	if err := mayWorkActions(ctx, a.ID); err != nil {
		return ActionSourceRef{}, err
	}
	var ref ActionSourceRef
	var q string
	switch a.Source {
	case opsdesk.SourceProblem:
		q = `SELECT 'problem', id, title FROM problems WHERE id = ?`
	case opsdesk.SourceSLABreach, opsdesk.SourceProbe:
		q = `SELECT 'ticket', 0, key FROM tickets WHERE id = ?`
	case opsdesk.SourceSurvey:
		q = `SELECT 'ticket', 0, t.key FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE s.id = ?`
	case opsdesk.SourceAudit:
		q = `SELECT 'task', project_id, title FROM project_tasks WHERE id = ?`
	case opsdesk.SourceQualityTarget:
		q = `SELECT 'target', id, indicator FROM quality_targets WHERE id = ?`
	default:
		return ref, nil
	}
	var kind, text string
	var id int64
	err := d.queryRow(ctx, q, a.SourceID).Scan(&kind, &id, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, nil
	}
	if err != nil {
		return ref, wrapErr("store.ActionSource", err)
	}
	switch kind {
	case "problem":
		ref = ActionSourceRef{Label: opsdesk.ProblemKey(id) + " " + text, Path: "/problems/" + strconv.FormatInt(id, 10)}
	case "ticket":
		ref = ActionSourceRef{Label: text, Path: "/tickets/" + text}
	case "task":
		ref = ActionSourceRef{Label: text, Path: "/projects/" + strconv.FormatInt(id, 10) + "#tasks"}
	case "target":
		ref = ActionSourceRef{Label: text, Path: "/admin/quality-targets/" + strconv.FormatInt(id, 10)}
	}
	return ref, nil
}
