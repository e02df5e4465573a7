package web

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// accountPage is the data of the account page: the profile form and the password form.
type accountPage struct {
	Profile  *form
	Password *form
	Langs    []option
}

func (s *Server) showAccount(c *call, status int, profile, password *form) {
	if profile == nil {
		profile = newForm("profile", url.Values{"name": {c.user.Name}, "lang": {string(c.user.Lang)}})
	}
	if password == nil {
		password = newForm("password", nil)
	}
	s.render(c, status, "account", c.T("account.title"), accountPage{
		Profile: profile, Password: password, Langs: langOptions(c, "lang.browser"),
	})
}

// account shows the user's profile and the password change form.
func (s *Server) account(c *call) { s.showAccount(c, http.StatusOK, nil, nil) }

// saveProfile changes the user's own name and language.
func (s *Server) saveProfile(c *call) {
	f := newForm("profile", c.r.PostForm)
	err := s.db.UpdateProfile(c.ctx, f.Get("name"), opsdesk.Lang(f.Get("lang")))
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showAccount(c, status, f, nil) })
		return
	}
	c.redirect("/account?done=profile")
}

// changePassword checks the current password (under the login rate limit), applies the rules
// to the new one, hashes it outside any transaction, and ends every other session of the user.
func (s *Server) changePassword(c *call) {
	f := newForm("password", c.r.PostForm)
	again := func(status int) { s.showAccount(c, status, nil, f) }
	ctx := c.r.Context()
	keys := loginKeys{email: "login-email:" + c.user.Email}
	wait, err := s.loginBlocked(ctx, keys)
	if err != nil {
		s.internal(c, err)
		return
	}
	if wait > 0 {
		c.w.Header().Set("Retry-After", itoa(int(wait.Seconds())))
		f.Fail("current", c.T("login.rate_limited", int(wait.Minutes())))
		again(http.StatusTooManyRequests)
		return
	}
	if _, err := s.db.Authenticate(ctx, c.user.Email, f.Get("current")); err != nil {
		if !opsdesk.IsKind(err, opsdesk.KindAuth) {
			s.internal(c, err)
			return
		}
		if err := s.db.RecordAuthFailure(ctx, keys.email); err != nil {
			s.internal(c, err)
			return
		}
		f.Fail("current", c.T("password.wrong_current"))
		again(http.StatusUnprocessableEntity)
		return
	}
	if !checkNewPassword(c, f, "new", "new2") {
		again(http.StatusUnprocessableEntity)
		return
	}
	hash, err := auth.HashPassword(f.Get("new"), auth.DefaultParams)
	if err != nil {
		s.internal(c, err)
		return
	}
	if err := s.db.SetPassword(c.ctx, c.user.ID, hash, c.sess.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("web: password changed", "user", c.user.Email, "ip", s.clientIP(c.r))
	c.redirect("/account?done=password")
}
