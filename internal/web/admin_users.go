package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// usersPage is the data of the user list.
type usersPage struct {
	Filter    *form
	Roles     []option
	Users     []*opsdesk.User
	Customers map[int64]*opsdesk.Customer
}

// users lists users, filtered by role and by a search on address and name.
func (s *Server) users(c *call) {
	q := c.r.URL.Query()
	f := newForm("filter", url.Values{"role": {q.Get("role")}, "q": {q.Get("q")}})
	uf := store.UserFilter{Query: strings.TrimSpace(q.Get("q")), Limit: 500}
	if r := opsdesk.Role(q.Get("role")); r.Valid() {
		uf.Role = r
	}
	us, err := s.db.ListUsers(c.ctx, uf)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, err := s.customerIndex(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "users", c.T("user.list_title"), usersPage{Filter: f, Roles: roleOptions(c, true), Users: us, Customers: cs})
}

// customerIndex maps the visible customers by id, to show codes next to users.
func (s *Server) customerIndex(c *call) (map[int64]*opsdesk.Customer, error) {
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]*opsdesk.Customer, len(cs))
	for _, cu := range cs {
		m[cu.ID] = cu
	}
	return m, nil
}

// userPage is the data of the user form, for a new user (User nil) or an existing one.
type userPage struct {
	Form                            *form
	User                            *opsdesk.User
	Roles, Levels, Langs, Customers []option
	Managers                        []option // an existing user's possible managers (admin_user_edit.go)
}

func (s *Server) showUser(c *call, status int, f *form, u *opsdesk.User) {
	cs, err := s.db.ListCustomers(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	title := c.T("user.new_title")
	if u != nil {
		title = u.Email
	}
	var managers []option
	if u != nil {
		if managers, err = s.managerOptions(c, u); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, status, "user", title, userPage{
		Form: f, User: u, Roles: roleOptions(c, false), Levels: levelOptions(c),
		Langs: langOptions(c, "lang.browser"), Customers: customerOptions(c, cs), Managers: managers,
	})
}

// newUser shows the creation form; ?role= and ?customer= preselect (from a customer's page).
func (s *Server) newUser(c *call) {
	q := c.r.URL.Query()
	v := url.Values{"role": {q.Get("role")}, "customer": {q.Get("customer")}}
	if v.Get("role") == "" {
		v.Set("role", string(opsdesk.RoleAgent))
	}
	s.showUser(c, http.StatusOK, newForm("user", v), nil)
}

// createUser creates a user with a typed password, or a generated one shown once.
func (s *Server) createUser(c *call) {
	f := newForm("user", c.r.PostForm)
	again := func(status int) { s.showUser(c, status, f, nil) }
	u := &opsdesk.User{}
	userFromForm(f, u)
	if err := u.Validate(); err != nil {
		s.formError(c, f, err, again)
		return
	}
	pw, generated := f.Get("password"), f.Get("password") == ""
	if generated {
		pw = auth.GeneratePassword()
	} else if !passwordRules(c, f, "password") {
		again(http.StatusUnprocessableEntity)
		return
	}
	hash, err := auth.HashPassword(pw, auth.DefaultParams)
	if err != nil {
		s.internal(c, err)
		return
	}
	if err := s.db.CreateUser(c.ctx, u, hash); err != nil {
		s.formError(c, f, err, again)
		return
	}
	target := "/admin/users/" + strconv.FormatInt(u.ID, 10)
	if !generated {
		c.redirect(target + "?done=created")
		return
	}
	s.showSecret(c, http.StatusCreated, secretPage{
		Heading: c.T("user.created", u.Email), Label: c.T("user.generated_password"),
		Secret: pw, Next: target, NextLabel: c.T("user.go_to", u.Email),
	})
}

// userFromForm copies the form's fields onto u. A level only counts for agents and a customer
// only for customer users, so a select left on a value by a role change does not get in the way.
func userFromForm(f *form, u *opsdesk.User) {
	u.Email, u.Name, u.Role = f.Get("email"), f.Get("name"), opsdesk.Role(f.Get("role"))
	u.Level, u.CustomerID = "", 0
	if u.Role == opsdesk.RoleAgent {
		u.Level = opsdesk.Level(f.Get("level"))
	}
	if u.Role == opsdesk.RoleCustomer {
		u.CustomerID, _ = strconv.ParseInt(f.Get("customer"), 10, 64)
	}
	u.Domains = splitList(f.Get("domains"))
	u.Lang = opsdesk.Lang(f.Get("lang"))
	u.Disabled = f.Get("disabled") != ""
}

// userValues fills a form from a stored user.
func userValues(u *opsdesk.User) url.Values {
	v := url.Values{"email": {u.Email}, "name": {u.Name}, "role": {string(u.Role)}, "level": {string(u.Level)},
		"domains": {strings.Join(u.Domains, ", ")}, "lang": {string(u.Lang)}}
	if u.CustomerID != 0 {
		v.Set("customer", strconv.FormatInt(u.CustomerID, 10))
	}
	if u.Disabled {
		v.Set("disabled", "on")
	}
	return v
}
