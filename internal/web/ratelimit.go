package web

import (
	"context"
	"time"
)

// The login limits, counted in the database so that every instance enforces the same ones.
const (
	loginWindow      = 15 * time.Minute
	maxFailuresEmail = 5  // failed logins per address in the window
	maxFailuresIP    = 20 // failed logins per client IP in the window
)

// loginKeys are the failure counters a login attempt touches.
type loginKeys struct{ email, ip string }

func (s *Server) loginKeys(c *call, email string) loginKeys {
	k := loginKeys{ip: "login-ip:" + s.clientIP(c.r)}
	if email != "" {
		k.email = "login-email:" + email
	}
	return k
}

// loginBlocked tells whether an attempt must be refused before the password is even checked,
// and if so how long until the next one is allowed (to the minute).
func (s *Server) loginBlocked(ctx context.Context, k loginKeys) (time.Duration, error) {
	now := s.db.Now()
	for _, lim := range []struct {
		key string
		max int
	}{{k.email, maxFailuresEmail}, {k.ip, maxFailuresIP}} {
		if lim.key == "" {
			continue
		}
		n, err := s.db.AuthFailures(ctx, lim.key, now.Add(-loginWindow))
		if err != nil {
			return 0, err
		}
		if n >= lim.max {
			return s.retryAfter(ctx, lim.key, lim.max, now), nil
		}
	}
	return 0, nil
}

// retryAfter finds, to the minute, how long until key has fewer than max failures in the window:
// the counts only shrink as the window slides, so a binary search over the minutes ahead takes
// four queries. (The store keeps counts, not the oldest failure: see the report to the lead.)
func (s *Server) retryAfter(ctx context.Context, key string, max int, now time.Time) time.Duration {
	lo, hi := 1, int(loginWindow/time.Minute)
	for lo < hi {
		mid := (lo + hi) / 2
		n, err := s.db.AuthFailures(ctx, key, now.Add(-loginWindow+time.Duration(mid)*time.Minute))
		if err != nil {
			return loginWindow
		}
		if n < max {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return time.Duration(lo) * time.Minute
}

// loginFailed records a failed attempt on every counter it touches.
func (s *Server) loginFailed(ctx context.Context, k loginKeys) error {
	keys := []string{k.ip}
	if k.email != "" {
		keys = append(keys, k.email)
	}
	return s.db.RecordAuthFailure(ctx, keys...)
}
