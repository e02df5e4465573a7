package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// access says who may reach a route.
type access int

const (
	anyone  access = iota // login and first run: a session is read if present, never required
	member                // any logged-in user
	staff                 // the vendor's team: the agent workspace
	portal                // customer users: the customer portal
	manager               // admins and ops managers: the admin screens
	admin                 // admins only: the mail templates
)

// call is one request as a handler sees it: who makes it, in which language, and the CSRF token
// that the forms of the page it answers must carry.
type call struct {
	w    http.ResponseWriter
	r    *http.Request
	ctx  context.Context // carries the logged-in user as the actor the store checks
	user *opsdesk.User   // nil when nobody is logged in
	sess *opsdesk.Session
	lang opsdesk.Lang
	csrf string // the session's token, or the pre-session cookie token on login and first run
}

// T translates a message key into the call's language.
func (c *call) T(key string, args ...any) string { return i18n.T(c.lang, key, args...) }

// actor is the logged-in user as the store sees them.
func (c *call) actor() opsdesk.Actor { return opsdesk.ActorFrom(c.ctx) }

// handle registers h for pattern behind the checks of its access level: a session for members,
// a staff role for the workspace, the customer role for the portal, the admin or ops manager role
// for managers, the admin role for admin, and on POST a valid CSRF token.
func (s *Server) handle(mux *http.ServeMux, pattern string, a access, h func(*call)) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.begin(w, r)
		if !ok {
			return
		}
		if a >= member && c.user == nil {
			s.toLogin(c)
			return
		}
		if a == manager && !c.actor().CanManage() {
			s.fail(c, opsdesk.Forbidden("admins and ops managers only"))
			return
		}
		if a == admin && !c.actor().IsAdmin() {
			s.fail(c, opsdesk.Forbidden("admins only"))
			return
		}
		if a == staff && !c.actor().IsStaff() {
			s.fail(c, opsdesk.Forbidden("the vendor's team only"))
			return
		}
		if a == portal && !c.actor().IsCustomer() {
			s.fail(c, opsdesk.Forbidden("customer users only"))
			return
		}
		if r.Method == http.MethodPost && !s.checkCSRF(c, a) {
			return
		}
		h(c)
	})
}

// begin reads the session cookie and negotiates the language. It answers the request itself
// (and returns false) only when the database fails.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) (*call, bool) {
	c := &call{w: w, r: r, ctx: r.Context()}
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		sess, u, err := s.db.SessionByToken(r.Context(), ck.Value, s.cfg.SessionTTL)
		switch {
		case err == nil:
			c.sess, c.user, c.csrf = sess, u, sess.CSRFToken
			c.ctx = opsdesk.WithActor(c.ctx, opsdesk.ActorOf(u))
		case opsdesk.IsKind(err, opsdesk.KindAuth):
			s.clearSessionCookie(w)
		default:
			c.lang = i18n.Negotiate("", r.Header.Get("Accept-Language"), s.cfg.Lang)
			s.fail(c, err)
			return nil, false
		}
	}
	var pref opsdesk.Lang
	if c.user != nil {
		pref = c.user.Lang
	}
	c.lang = i18n.Negotiate(pref, r.Header.Get("Accept-Language"), s.cfg.Lang)
	return c, true
}

// toLogin sends an anonymous visitor to the login page, coming back here afterwards (for
// GET; a form posted with an expired session cannot be replayed).
func (s *Server) toLogin(c *call) {
	target := "/login"
	if c.r.Method == http.MethodGet && c.r.URL.RequestURI() != "/" {
		target += "?next=" + url.QueryEscape(c.r.URL.RequestURI())
	}
	http.Redirect(c.w, c.r, target, http.StatusSeeOther)
}

// redirect answers a successful POST with 303 See Other (post/redirect/get).
func (c *call) redirect(target string) { http.Redirect(c.w, c.r, target, http.StatusSeeOther) }
