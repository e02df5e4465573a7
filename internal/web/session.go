package web

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// sessionCookie carries the session secret; the database keeps only its digest.
const sessionCookie = "opsdesk_session"

// defaultSessionTTL applies when the configuration leaves SessionTTL unset (tests, tools).
const defaultSessionTTL = 12 * time.Hour

// startSession opens a session for a user who just proved who they are and sets its cookie.
func (s *Server) startSession(c *call, userID int64) error {
	secret, _, err := s.db.CreateSession(c.r.Context(), userID, s.cfg.SessionTTL, c.r.UserAgent(), s.clientIP(c.r))
	if err != nil {
		return err
	}
	// A browser-session cookie: the server decides expiry (sliding, SessionTTL of idleness).
	http.SetCookie(c.w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
	return nil
}

// clearSessionCookie tells the browser to forget its session cookie.
func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// clientIP is the address the request came from: the connection's peer, or — only when opsdesk
// runs behind a reverse proxy it trusts — the last hop of X-Forwarded-For, which that proxy
// appended (earlier hops are whatever the client chose to send).
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(hops[len(hops)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
