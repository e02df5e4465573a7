package opsdesk

import "time"

// Session is a logged-in browser. Its secret travels in a cookie; only a hash of it is stored.
type Session struct {
	ID        int64
	UserID    int64
	CSRFToken string // bound to the session, required on every state-changing form
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
	UserAgent string
	IP        string
}

// APIToken is a bearer token for the REST API, acting as its user. The secret is shown once at
// creation; only its SHA-256 is stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // the first characters of the secret, to recognise it in lists
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
	RevokedAt  time.Time // zero while valid
	ExpiresAt  time.Time // zero for no expiry
}

// Active tells whether the token may be used at time now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}
