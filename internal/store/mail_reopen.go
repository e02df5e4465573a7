package store

import (
	"context"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ReopenClosedTicket reopens a closed ticket (closed → open), which no user may do: mail intake
// does it when a customer answers within the reopen window. The reason is kept in history.
// System actor only. Errors: forbidden, invalid (reason), not found, conflict (not closed).
func (d *DB) ReopenClosedTicket(ctx context.Context, key, reason string) (*opsdesk.Ticket, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsAdmin() || a.UserID != 0 {
		return nil, opsdesk.Forbidden("only opsdesk itself reopens a closed ticket")
	}
	if strings.TrimSpace(reason) == "" {
		return nil, opsdesk.Invalid("reason", "is required: say why the closed ticket is reopened")
	}
	err := d.inTx(ctx, "store.ReopenClosedTicket", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		return tx.reopenClosed(ctx, t, reason)
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "updated"})
	return d.TicketByKey(ctx, key)
}

// reopenClosed moves a closed ticket back to open, counting the reopening, clearing the
// resolution and closing instants, and announcing the change.
func (tx *Tx) reopenClosed(ctx context.Context, t *opsdesk.Ticket, reason string) error {
	if t.Status != opsdesk.StatusClosed {
		return opsdesk.Conflict("status", "%s is %s, not closed", t.Key, t.Status)
	}
	err := tx.updateTicket(ctx, t.ID, []string{"status = ?", "active = ?", "closed_at = NULL", "resolved_at = NULL",
		"reopen_count = reopen_count + 1"}, []any{opsdesk.StatusOpen, true})
	if err != nil {
		return err
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventChange, Field: "status",
		Old: string(opsdesk.StatusClosed), New: string(opsdesk.StatusOpen), Reason: reason}); err != nil {
		return err
	}
	t.Status = opsdesk.StatusOpen
	return tx.emit(ctx, opsdesk.TicketUpdated, t, 0, false)
}
