package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// CreateAPIToken makes a token acting as a user and returns its secret, which is never shown
// again. Users create their own; admins create tokens for anyone. Errors: invalid, forbidden,
// not found.
func (d *DB) CreateAPIToken(ctx context.Context, userID int64, name string, expires time.Time) (string, *opsdesk.APIToken, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.UserID != userID && !a.IsAdmin() {
		return "", nil, opsdesk.Forbidden("you may only create tokens for yourself")
	}
	name = strings.TrimSpace(name)
	if len(name) > 100 {
		return "", nil, opsdesk.Invalid("name", "is longer than 100 characters")
	}
	secret := auth.NewAPIToken()
	t := &opsdesk.APIToken{UserID: userID, Name: name, Prefix: secret[:len(auth.TokenPrefix)+6], ExpiresAt: expires}
	err := d.inTx(ctx, "store.CreateAPIToken", func(tx *Tx) error {
		u, err := tx.userByID(ctx, userID)
		if err != nil {
			return err
		}
		if u.Disabled {
			return opsdesk.Invalid("user", "%s is disabled", u.Email)
		}
		t.CreatedAt = tx.now
		t.ID, err = tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, userID, name, t.Prefix, auth.Digest(secret), tx.now.UnixMilli(), ms(expires))
		if err != nil {
			return err
		}
		return tx.audit(ctx, "token", t.ID, "create", []opsdesk.Change{{Field: "user", New: u.Email}, {Field: "name", New: name}})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// UserByAPIToken returns the user a bearer token acts as. The secret's SHA-256 is looked up by
// its unique index, then compared in constant time: one indexed read, no slow hash per request.
// Errors: unauthenticated.
func (d *DB) UserByAPIToken(ctx context.Context, secret string) (*opsdesk.User, *opsdesk.APIToken, error) {
	bad := opsdesk.Unauthenticated("invalid or revoked API token")
	if !auth.LooksLikeAPIToken(secret) {
		return nil, nil, bad
	}
	digest := auth.Digest(secret)
	var stored string
	var tk opsdesk.APIToken
	var created int64
	var used, revoked, expires sql.NullInt64
	err := d.queryRow(ctx, `SELECT id, user_id, name, prefix, token_hash, created_at, last_used_at, revoked_at, expires_at
		FROM api_tokens WHERE token_hash = ?`, digest).Scan(&tk.ID, &tk.UserID, &tk.Name, &tk.Prefix, &stored, &created, &used, &revoked, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, bad
	}
	if err != nil {
		return nil, nil, opsdesk.Internal("store.UserByAPIToken", err)
	}
	if !auth.SameDigest(stored, digest) {
		return nil, nil, bad
	}
	tk.CreatedAt, tk.LastUsedAt = time.UnixMilli(created).UTC(), fromMS(used)
	tk.RevokedAt, tk.ExpiresAt = fromMS(revoked), fromMS(expires)
	now := d.Now()
	if !tk.Active(now) {
		return nil, nil, bad
	}
	u, err := scanUser(d.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, tk.UserID))
	if err != nil || u.Disabled {
		return nil, nil, bad
	}
	if now.Sub(tk.LastUsedAt) > time.Minute {
		d.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now.UnixMilli(), tk.ID)
	}
	return u, &tk, nil
}

// ListAPITokens lists a user's tokens (never their secrets), newest first.
func (d *DB) ListAPITokens(ctx context.Context, userID int64) ([]*opsdesk.APIToken, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.UserID != userID && !a.IsAdmin() {
		return nil, opsdesk.Forbidden("you may only list your own tokens")
	}
	out, err := collect(func(sc scanner) (*opsdesk.APIToken, error) {
		var t opsdesk.APIToken
		var created int64
		var used, revoked, expires sql.NullInt64
		if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, &created, &used, &revoked, &expires); err != nil {
			return nil, err
		}
		t.CreatedAt, t.LastUsedAt = time.UnixMilli(created).UTC(), fromMS(used)
		t.RevokedAt, t.ExpiresAt = fromMS(revoked), fromMS(expires)
		return &t, nil
	})(d.query(ctx, `SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at, expires_at
		FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID))
	return out, wrapErr("store.ListAPITokens", err)
}

// RevokeAPIToken revokes a token at once. Owners and admins only. Errors: not found.
func (d *DB) RevokeAPIToken(ctx context.Context, id int64) error {
	a := opsdesk.ActorFrom(ctx)
	return d.inTx(ctx, "store.RevokeAPIToken", func(tx *Tx) error {
		var owner int64
		err := tx.queryRow(ctx, `SELECT user_id FROM api_tokens WHERE id = ?`, id).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != a.UserID && !a.IsAdmin()) {
			return opsdesk.NotFound("no token %d", id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, tx.now.UnixMilli(), id); err != nil {
			return err
		}
		return tx.audit(ctx, "token", id, "revoke", nil)
	})
}
