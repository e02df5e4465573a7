package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const grantSelect = `SELECT g.id, g.environment_id, g.user_id, u.email, g.kind, g.reason, COALESCE(t.key, ''), g.granted_by_id,
	g.granted_by, g.granted_at, g.expires_at, g.revoked_at, g.revoked_by_id, g.revoked_by, g.revoke_reason
	FROM env_access_grants g JOIN users u ON u.id = g.user_id LEFT JOIN tickets t ON t.id = g.ticket_id`

func scanGrant(sc scanner) (*opsdesk.AccessGrant, error) {
	var g opsdesk.AccessGrant
	var grantedBy, revokedBy, revoked sql.NullInt64
	var granted, expires int64
	if err := sc.Scan(&g.ID, &g.EnvironmentID, &g.UserID, &g.UserEmail, &g.Kind, &g.Reason, &g.TicketKey, &grantedBy,
		&g.GrantedBy, &granted, &expires, &revoked, &revokedBy, &g.RevokedBy, &g.RevokeReason); err != nil {
		return nil, err
	}
	g.GrantedByID, g.RevokedByID = grantedBy.Int64, revokedBy.Int64
	g.GrantedAt = fromMS(sql.NullInt64{Int64: granted, Valid: true})
	g.ExpiresAt = fromMS(sql.NullInt64{Int64: expires, Valid: true})
	g.RevokedAt = fromMS(revoked)
	return &g, nil
}

// GrantAccess records that a member of the vendor's team holds an access to an environment
// until g.ExpiresAt. Admins and ops managers only (they approve access requests). The holder is
// an enabled staff user; the linked ticket, if any, is an access_request ticket of the
// environment's customer. Recorded in the environment's audit history (action access_grant).
// Errors: invalid, forbidden, not found (environment).
func (d *DB) GrantAccess(ctx context.Context, g *opsdesk.AccessGrant) error {
	if err := g.Validate(); err != nil {
		return err
	}
	a := opsdesk.ActorFrom(ctx)
	if !a.CanManage() {
		return opsdesk.Forbidden("only ops managers and admins grant access to environments")
	}
	return d.inTx(ctx, "store.GrantAccess", func(tx *Tx) error {
		env, err := tx.envToWrite(ctx, g.EnvironmentID)
		if err != nil {
			return err
		}
		if !g.ExpiresAt.After(tx.now) {
			return opsdesk.Invalid("expires_at", "must be in the future")
		}
		var role opsdesk.Role
		var disabled bool
		err = tx.queryRow(ctx, `SELECT email, role, disabled FROM users WHERE id = ?`, g.UserID).Scan(&g.UserEmail, &role, &disabled)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (!role.Staff() || disabled)) {
			return opsdesk.Invalid("user", "access is granted to an enabled member of the vendor's team")
		}
		if err != nil {
			return err
		}
		ticketID, err := tx.linkedTicket(ctx, "ticket", g.TicketKey, env.CustomerID, opsdesk.TypeAccessRequest)
		if err != nil {
			return err
		}
		g.GrantedByID, g.GrantedBy, g.GrantedAt = a.UserID, a.Label, tx.now
		g.RevokedAt, g.RevokedByID, g.RevokedBy, g.RevokeReason = time.Time{}, 0, "", ""
		id, err := tx.insert(ctx, `INSERT INTO env_access_grants (environment_id, user_id, kind, reason, ticket_id, granted_by_id,
			granted_by, granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.EnvironmentID, g.UserID, g.Kind, g.Reason, nullID(ticketID), nullID(a.UserID), a.Label, tx.now.UnixMilli(),
			g.ExpiresAt.UnixMilli())
		if err != nil {
			return err
		}
		g.ID = id
		return tx.audit(ctx, "environment", g.EnvironmentID, "access_grant", []opsdesk.Change{
			{Field: "user", New: g.UserEmail}, {Field: "kind", New: string(g.Kind)}, {Field: "reason", New: g.Reason},
			{Field: "expires_at", New: g.ExpiresAt.UTC().Format(time.RFC3339)}, {Field: "ticket", New: g.TicketKey},
		})
	})
}

// RevokeAccess ends grant id of environment envID now, with a reason (optional). Staff only: a
// holder may give an access back. Recorded in the environment's audit history (action
// access_revoke). Errors: forbidden, not found, conflict (already revoked).
func (d *DB) RevokeAccess(ctx context.Context, envID, id int64, reason string) (*opsdesk.AccessGrant, error) {
	a := opsdesk.ActorFrom(ctx)
	var g *opsdesk.AccessGrant
	err := d.inTx(ctx, "store.RevokeAccess", func(tx *Tx) error {
		if _, err := tx.envToWrite(ctx, envID); err != nil {
			return err
		}
		var err error
		g, err = scanGrant(tx.queryRow(ctx, grantSelect+` WHERE g.id = ? AND g.environment_id = ?`, id, envID))
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.NotFound("no access grant %d on environment %d", id, envID)
		}
		if err != nil {
			return err
		}
		if !g.RevokedAt.IsZero() {
			return opsdesk.Conflict("revoked_at", "access grant %d was already revoked on %s", id, g.RevokedAt.Format(time.RFC3339))
		}
		g.RevokedAt, g.RevokedByID, g.RevokedBy, g.RevokeReason = tx.now, a.UserID, a.Label, strings.TrimSpace(reason)
		if _, err := tx.exec(ctx, `UPDATE env_access_grants SET revoked_at = ?, revoked_by_id = ?, revoked_by = ?, revoke_reason = ?
			WHERE id = ?`, tx.now.UnixMilli(), nullID(a.UserID), a.Label, g.RevokeReason, id); err != nil {
			return err
		}
		return tx.audit(ctx, "environment", envID, "access_revoke", []opsdesk.Change{
			{Field: "user", Old: g.UserEmail}, {Field: "kind", Old: string(g.Kind)}, {Field: "reason", New: g.RevokeReason},
		})
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// ListAccessGrants lists the access grants of an environment, newest first: those held now, or
// with all, the expired and revoked ones too. Customers read them only when the vendor shows
// access, without the reasons. Errors: not found, forbidden.
func (d *DB) ListAccessGrants(ctx context.Context, envID int64, all bool) ([]*opsdesk.AccessGrant, error) {
	if _, err := d.envToRead(ctx, envID, partAccess); err != nil {
		return nil, err
	}
	q, args := grantSelect+` WHERE g.environment_id = ?`, []any{envID}
	if !all {
		q, args = q+` AND g.revoked_at IS NULL AND g.expires_at > ?`, append(args, d.Now().UnixMilli())
	}
	out, err := collect(scanGrant)(d.query(ctx, q+` ORDER BY g.granted_at DESC, g.id DESC`, args...))
	if opsdesk.ActorFrom(ctx).IsCustomer() {
		for _, g := range out {
			g.Reason, g.RevokeReason = "", ""
		}
	}
	return out, wrapErr("store.ListAccessGrants", err)
}

// ListExpiredGrants lists, across all customers, the grants expired at instant at but not yet
// revoked — the revocation list — oldest expiry first. Staff only. Errors: forbidden.
func (d *DB) ListExpiredGrants(ctx context.Context, at time.Time) ([]*opsdesk.AccessGrant, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("the revocation list is for the vendor's team")
	}
	out, err := collect(scanGrant)(d.query(ctx, grantSelect+` WHERE g.revoked_at IS NULL AND g.expires_at <= ?
		ORDER BY g.expires_at, g.id`, at.UnixMilli()))
	return out, wrapErr("store.ListExpiredGrants", err)
}
