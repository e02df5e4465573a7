package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// CreateSession opens a session for a user that has just authenticated and returns the secret
// to put in the cookie (only its digest is stored).
func (d *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration, userAgent, ip string) (string, *opsdesk.Session, error) {
	secret := auth.NewSecret()
	s := &opsdesk.Session{UserID: userID, CSRFToken: auth.NewSecret(), UserAgent: truncate(userAgent, 300), IP: ip}
	err := d.inTx(ctx, "store.CreateSession", func(tx *Tx) error {
		s.CreatedAt, s.LastSeen, s.ExpiresAt = tx.now, tx.now, tx.now.Add(ttl)
		id, err := tx.insert(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen, user_agent, ip)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, auth.Digest(secret), userID, s.CSRFToken, tx.now.UnixMilli(),
			s.ExpiresAt.UnixMilli(), tx.now.UnixMilli(), s.UserAgent, s.IP)
		s.ID = id
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return secret, s, nil
}

// SessionByToken returns the live session with this cookie secret and its user, extending the
// session's expiry (sliding, by ttl) at most once a minute. A disabled user has no session.
// Errors: unauthenticated.
func (d *DB) SessionByToken(ctx context.Context, secret string, ttl time.Duration) (*opsdesk.Session, *opsdesk.User, error) {
	if secret == "" {
		return nil, nil, opsdesk.Unauthenticated("no session")
	}
	var s opsdesk.Session
	var created, expires, seen int64
	var userID int64
	err := d.queryRow(ctx, `SELECT id, user_id, csrf_token, created_at, expires_at, last_seen, user_agent, ip
		FROM sessions WHERE token_hash = ?`, auth.Digest(secret)).Scan(&s.ID, &userID, &s.CSRFToken, &created, &expires, &seen, &s.UserAgent, &s.IP)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, opsdesk.Unauthenticated("session expired: log in again")
	}
	if err != nil {
		return nil, nil, opsdesk.Internal("store.SessionByToken", err)
	}
	now := d.Now()
	s.UserID = userID
	s.CreatedAt, s.ExpiresAt, s.LastSeen = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC(), time.UnixMilli(seen).UTC()
	if !now.Before(s.ExpiresAt) {
		d.exec(ctx, `DELETE FROM sessions WHERE id = ?`, s.ID)
		return nil, nil, opsdesk.Unauthenticated("session expired: log in again")
	}
	u, err := scanUser(d.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
	if err != nil || u.Disabled {
		return nil, nil, opsdesk.Unauthenticated("session expired: log in again")
	}
	if now.Sub(s.LastSeen) > time.Minute {
		s.LastSeen, s.ExpiresAt = now, now.Add(ttl)
		if _, err := d.exec(ctx, `UPDATE sessions SET last_seen = ?, expires_at = ? WHERE id = ?`,
			now.UnixMilli(), s.ExpiresAt.UnixMilli(), s.ID); err != nil {
			return nil, nil, opsdesk.Internal("store.SessionByToken", err)
		}
	}
	return &s, u, nil
}

// DeleteSession ends a session (logout).
func (d *DB) DeleteSession(ctx context.Context, id int64) error {
	_, err := d.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
	return wrapErr("store.DeleteSession", err)
}

// PruneSessions deletes expired sessions and old authentication failures; the scheduler runs it.
func (d *DB) PruneSessions(ctx context.Context, failuresOlderThan time.Duration) error {
	now := d.Now()
	if _, err := d.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, now.UnixMilli()); err != nil {
		return wrapErr("store.PruneSessions", err)
	}
	_, err := d.exec(ctx, `DELETE FROM auth_failures WHERE at < ?`, now.Add(-failuresOlderThan).UnixMilli())
	return wrapErr("store.PruneSessions", err)
}

// RecordAuthFailure notes a failed login for each key (an address, an IP) at the current time.
func (d *DB) RecordAuthFailure(ctx context.Context, keys ...string) error {
	return d.inTx(ctx, "store.RecordAuthFailure", func(tx *Tx) error {
		for _, k := range keys {
			if _, err := tx.exec(ctx, `INSERT INTO auth_failures (key, at) VALUES (?, ?)`, k, tx.now.UnixMilli()); err != nil {
				return err
			}
		}
		return nil
	})
}

// AuthFailures counts the failures recorded for key since the given instant. The count is in the
// database so that every opsdesk instance behind a load balancer enforces the same limit.
func (d *DB) AuthFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := d.queryRow(ctx, `SELECT COUNT(*) FROM auth_failures WHERE key = ? AND at >= ?`, key, since.UnixMilli()).Scan(&n)
	return n, wrapErr("store.AuthFailures", err)
}

// ClearAuthFailures forgets a key's failures after a successful login.
func (d *DB) ClearAuthFailures(ctx context.Context, key string) error {
	_, err := d.exec(ctx, `DELETE FROM auth_failures WHERE key = ?`, key)
	return wrapErr("store.ClearAuthFailures", err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
