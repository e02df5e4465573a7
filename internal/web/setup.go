package web

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// setupPage is the data of the first-run page.
type setupPage struct{ Form *form }

// setupOpen tells whether the first-run page exists: only while there is no admin. Otherwise it
// answers 404 itself.
func (s *Server) setupOpen(c *call) bool {
	n, err := s.db.CountAdmins(c.r.Context())
	if err != nil {
		s.internal(c, err)
		return false
	}
	if n > 0 {
		s.notFound(c)
		return false
	}
	return true
}

// setupForm shows the form that creates the first admin.
func (s *Server) setupForm(c *call) {
	if s.setupOpen(c) {
		s.showSetup(c, http.StatusOK, newForm("setup", nil))
	}
}

func (s *Server) showSetup(c *call, status int, f *form) {
	c.csrf = s.preSessionToken(c)
	s.render(c, status, "setup", c.T("setup.title"), setupPage{Form: f})
}

// setup creates the first admin and logs them in. The store creates it only while no admin
// exists, in one transaction, so two racing forms cannot both succeed.
func (s *Server) setup(c *call) {
	if !s.setupOpen(c) {
		return
	}
	f := newForm("setup", c.r.PostForm)
	again := func(status int) { s.showSetup(c, status, f) }
	u := &opsdesk.User{Email: f.Get("email"), Name: f.Get("name"), Role: opsdesk.RoleAdmin}
	if err := u.Validate(); err != nil {
		s.formError(c, f, err, again)
		return
	}
	if !checkNewPassword(c, f, "password", "password2") {
		again(http.StatusUnprocessableEntity)
		return
	}
	hash, err := auth.HashPassword(f.Get("password"), auth.DefaultParams)
	if err != nil {
		s.internal(c, err)
		return
	}
	if err := s.db.CreateFirstAdmin(c.r.Context(), u, hash); err != nil {
		s.formError(c, f, err, again)
		return
	}
	s.log.Info("web: first admin created", "user", u.Email, "ip", s.clientIP(c.r))
	if err := s.startSession(c, u.ID); err != nil {
		s.internal(c, err)
		return
	}
	c.redirect("/?done=welcome")
}

// checkNewPassword applies the password rules to a new password and its confirmation, recording
// the messages on f; it tells whether both are fine.
func checkNewPassword(c *call, f *form, field, confirm string) bool {
	if !passwordRules(c, f, field) {
		return false
	}
	if f.Get(confirm) != f.Get(field) {
		f.Fail(confirm, c.T("password.mismatch"))
		return false
	}
	return true
}

// passwordRules checks a new password against auth.ValidatePassword, in the user's language.
func passwordRules(c *call, f *form, field string) bool {
	pw := f.Get(field)
	if err := auth.ValidatePassword(pw); err != nil {
		if len([]rune(pw)) < auth.MinPasswordLength {
			f.Fail(field, c.T("password.too_short", auth.MinPasswordLength))
		} else {
			f.Fail(field, c.T("password.too_long"))
		}
		return false
	}
	return true
}
