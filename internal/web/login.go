package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// loginPage is the data of the login page.
type loginPage struct {
	Form  *form
	Setup bool // no admin exists yet: point to the first-run page
}

// loginForm shows the login form; a logged-in user goes straight on.
func (s *Server) loginForm(c *call) {
	next := safeNext(c.r.URL.Query().Get("next"))
	if c.user != nil {
		c.redirect(next)
		return
	}
	s.showLogin(c, http.StatusOK, newForm("login", url.Values{"next": {next}}))
}

func (s *Server) showLogin(c *call, status int, f *form) {
	c.csrf = s.preSessionToken(c)
	n, err := s.db.CountAdmins(c.r.Context())
	if err != nil {
		s.internal(c, err)
		return
	}
	s.render(c, status, "login", c.T("login.title"), loginPage{Form: f, Setup: n == 0})
}

// login checks the rate limits, then the password, and opens a session.
func (s *Server) login(c *call) {
	f := newForm("login", c.r.PostForm)
	ctx := c.r.Context()
	email := opsdesk.NormalizeEmail(f.Get("email"))
	keys := s.loginKeys(c, email)
	wait, err := s.loginBlocked(ctx, keys)
	if err != nil {
		s.internal(c, err)
		return
	}
	if wait > 0 {
		c.w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())))
		f.Fail("", c.T("login.rate_limited", int(wait.Minutes())))
		s.showLogin(c, http.StatusTooManyRequests, f)
		return
	}
	u, err := s.db.Authenticate(ctx, email, f.Get("password"))
	if opsdesk.IsKind(err, opsdesk.KindAuth) {
		if err := s.loginFailed(ctx, keys); err != nil {
			s.internal(c, err)
			return
		}
		s.log.Info("web: login failed", "email", email, "ip", s.clientIP(c.r))
		f.Fail("", c.T("login.failed"))
		s.showLogin(c, http.StatusUnauthorized, f)
		return
	}
	if err != nil {
		s.internal(c, err)
		return
	}
	if keys.email != "" {
		if err := s.db.ClearAuthFailures(ctx, keys.email); err != nil {
			s.internal(c, err)
			return
		}
	}
	if c.sess != nil { // a fresh session on every login: no fixation
		s.db.DeleteSession(ctx, c.sess.ID)
	}
	if err := s.startSession(c, u.ID); err != nil {
		s.internal(c, err)
		return
	}
	s.log.Info("web: login", "user", u.Email, "ip", s.clientIP(c.r))
	c.redirect(safeNext(f.Get("next")))
}

// logout ends the session.
func (s *Server) logout(c *call) {
	if err := s.db.DeleteSession(c.r.Context(), c.sess.ID); err != nil {
		s.internal(c, err)
		return
	}
	s.clearSessionCookie(c.w)
	c.redirect("/login?done=logout")
}

// safeNext keeps a post-login destination only if it is a path on this site: not an absolute
// URL, not a scheme-relative //host, not a backslash trick browsers read as one.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || u.Opaque != "" {
		return "/"
	}
	if u.Path == "/login" || u.Path == "/logout" || u.Path == "/setup" {
		return "/"
	}
	return next
}
