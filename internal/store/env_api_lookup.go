package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the reads the REST API needs beyond env_*.go: routes that address a record by
// its own id (POST /access/{gid}/revoke) find its environment here.

// AccessGrantByID returns access grant id with ListAccessGrants's visibility: staff always; a
// customer only on their own environments that show access, without the reasons. Errors: not
// found (also for another customer's grant), forbidden (access not shown).
func (d *DB) AccessGrantByID(ctx context.Context, id int64) (*opsdesk.AccessGrant, error) {
	g, err := scanGrant(d.queryRow(ctx, grantSelect+` WHERE g.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no access grant %d", id)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.AccessGrantByID", err)
	}
	if _, err := d.envToRead(ctx, g.EnvironmentID, partAccess); err != nil {
		if opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return nil, opsdesk.NotFound("no access grant %d", id)
		}
		return nil, err
	}
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		g.Reason, g.RevokeReason = "", ""
	}
	return g, nil
}
