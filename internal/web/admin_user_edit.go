package web

import (
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
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
	v := userValues(u)
	if u.ManagerID != 0 {
		v.Set("manager", strconv.FormatInt(u.ManagerID, 10))
	}
	s.showUser(c, http.StatusOK, newForm("user", v), u)
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
	err = managerFromForm(f, &u)
	if err == nil {
		err = s.db.UpdateUser(c.ctx, &u)
	}
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showUser(c, status, f, old) })
		return
	}
	c.redirect("/admin/users/" + strconv.FormatInt(id, 10) + "?done=saved")
}

// managerFromForm reads the manager select: "" is none (the ops managers are warned of the
// user's expired accesses), else a user's id, which the store checks.
func managerFromForm(f *form, u *opsdesk.User) error {
	u.ManagerID = 0
	if v := f.Get("manager"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return opsdesk.Invalid("manager", "must be a member of the vendor's team")
		}
		u.ManagerID = id
	}
	return nil
}

// managerOptions are the possible managers of user u: the other enabled members of the team,
// and "none"; a current manager since disabled stays listed, so the form shows it.
func (s *Server) managerOptions(c *call, u *opsdesk.User) ([]option, error) {
	us, err := s.db.ListUsers(c.ctx, store.UserFilter{Limit: 1000})
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: c.T("user.no_manager")}}
	for _, m := range us {
		if !m.Role.Staff() || m.ID == u.ID || (m.Disabled && m.ID != u.ManagerID) {
			continue
		}
		label := m.Email
		if m.Name != "" {
			label = m.Name + " — " + m.Email
		}
		out = append(out, option{Value: strconv.FormatInt(m.ID, 10), Label: label})
	}
	return out, nil
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
