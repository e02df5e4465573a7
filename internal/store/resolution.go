package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The rule of closure (docs/followup.md): resolving a ticket records what was done (a summary
// the requester reads) and why it happened (a cause code of the catalog, internal). When the
// ticket's severity is kb_required, the case must also be recorded in the knowledge base: an
// article linked to the ticket, or a draft created from it in the same transaction.

// errArticleRequired is the refusal of the knowledge-base rule.
var errArticleRequired = opsdesk.Invalid("article", "a blocking ticket is recorded in the knowledge base: link an article or create a draft")

// checkResolutionAlone refuses a resolution given without the status resolved.
func checkResolutionAlone(p opsdesk.TicketPatch) error {
	if p.Resolution != nil && (p.Status == nil || *p.Status != opsdesk.StatusResolved) {
		return opsdesk.Invalid("resolution", "is recorded only when resolving: set the status to resolved")
	}
	return nil
}

// resolve moves a ticket to resolved with the patch's resolution: it checks the summary and
// cause, applies the knowledge-base rule, stores the resolution on the ticket (kept if the ticket
// reopens), records the cause in the internal history and the summary as the public reason of
// the status change.
func (tx *Tx) resolve(ctx context.Context, t *opsdesk.Ticket, p opsdesk.TicketPatch) error {
	if err := opsdesk.CheckTransition(t.Status, opsdesk.StatusResolved); err != nil {
		return err
	}
	if p.Resolution == nil {
		return opsdesk.Invalid("resolution", "a resolution summary is required: say what was done, in words the customer reads")
	}
	r := *p.Resolution
	if err := r.Normalize(); err != nil {
		return err
	}
	if _, err := tx.causeCode(ctx, r.Cause); err != nil {
		return err
	}
	if !r.DraftArticle {
		required, err := tx.kbRequired(ctx, t)
		if err != nil {
			return err
		}
		if required {
			var n int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM ticket_articles WHERE ticket_id = ?`, t.ID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return errArticleRequired
			}
		}
	}
	oldCause := t.Cause
	if err := tx.updateTicket(ctx, t.ID, []string{"resolution_summary = ?", "cause_code = ?"}, []any{r.Summary, r.Cause}); err != nil {
		return err
	}
	t.ResolutionSummary, t.Cause = r.Summary, r.Cause
	if r.DraftArticle {
		if _, err := tx.draftArticleFromTicket(ctx, t); err != nil {
			return err
		}
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventChange, Field: "cause", Old: oldCause, New: r.Cause,
		Reason: p.Reason, Internal: true}); err != nil {
		return err
	}
	return tx.setStatus(ctx, t, opsdesk.StatusResolved, r.Summary)
}

// kbRequired tells whether the ticket's severity asks for a knowledge-base article at resolution
// (a retired severity keeps its flag).
func (tx *Tx) kbRequired(ctx context.Context, t *opsdesk.Ticket) (bool, error) {
	var required bool
	err := tx.queryRow(ctx, `SELECT kb_required FROM severities WHERE code = ?`, t.Severity).Scan(&required)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	return required, nil
}
