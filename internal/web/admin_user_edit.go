package web

import (
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/auth"
)

// editUser shows a user's form.
func (s *Server) editUser(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	u, err := s.db.UserByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.showUser(c, http.StatusOK, newForm("user", userValues(u)), u)
}

// updateUser saves a user's fields, including disabling the account (which ends its sessions).
func (s *Server) updateUser(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	old, err := s.db.UserByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := newForm("user", c.r.PostForm)
	u := *old
	userFromForm(f, &u)
	if err := s.db.UpdateUser(c.ctx, &u); err != nil {
		s.formError(c, f, err, func(status int) { s.showUser(c, status, f, old) })
		return
	}
	c.redirect("/admin/users/" + strconv.FormatInt(id, 10) + "?done=saved")
}

// resetPassword gives a user a generated password, shown once, and ends their sessions.
func (s *Server) resetPassword(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	u, err := s.db.UserByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	pw := auth.GeneratePassword()
	hash, err := auth.HashPassword(pw, auth.DefaultParams)
	if err != nil {
		s.internal(c, err)
		return
	}
	if err := s.db.SetPassword(c.ctx, u.ID, hash, c.sess.ID); err != nil {
		s.fail(c, err)
		return
	}
	s.log.Info("web: password reset", "user", u.Email, "by", c.user.Email)
	s.showSecret(c, http.StatusOK, secretPage{
		Heading: c.T("user.reset_done", u.Email), Label: c.T("user.generated_password"), Secret: pw,
		Next: "/admin/users/" + strconv.FormatInt(id, 10), NextLabel: c.T("user.go_to", u.Email),
	})
}

// secretPage shows a secret once (a generated password): it is in this response only.
type secretPage struct {
	Heading, Label, Secret, Next, NextLabel string
}

func (s *Server) showSecret(c *call, status int, p secretPage) {
	s.render(c, status, "secret", c.T("secret.title"), p)
}
