package store

import (
	"context"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// TicketAccessGrants lists the access grants recorded for a ticket — the approvals of an
// access request — newest first, held or not. Staff only. Errors: forbidden, not found.
func (d *DB) TicketAccessGrants(ctx context.Context, key string) ([]*opsdesk.AccessGrant, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("access grants are the vendor's team's records")
	}
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	out, err := collect(scanGrant)(d.query(ctx, grantSelect+` WHERE g.ticket_id = ? ORDER BY g.granted_at DESC, g.id DESC`, t.ID))
	return out, wrapErr("store.TicketAccessGrants "+strings.ToUpper(key), err)
}
