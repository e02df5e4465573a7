package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// user is someone who logs in.
type user struct {
	ID        int64    `json:"id"`
	Email     string   `json:"email"`
	Name      string   `json:"name"`
	Role      string   `json:"role" enum:"customer,agent,project_manager,ops_manager,admin"`
	Level     *string  `json:"level" doc:"support level of an agent, null for other roles"`
	Domains   []string `json:"domains" doc:"expertise domains of an agent"`
	Customer  *string  `json:"customer" doc:"code of a customer user's organisation, null for staff"`
	Lang      string   `json:"lang"`
	Disabled  bool     `json:"disabled"`
	Manager   *string  `json:"manager" doc:"address of a staff user's manager, warned when one of their accesses to an environment expires; null: the ops managers"`
	CreatedAt string   `json:"created_at" format:"date-time"`
	UpdatedAt string   `json:"updated_at" format:"date-time"`
}

// newUser is the body of POST /users.
type newUser struct {
	Email    string   `json:"email" required:"true"`
	Name     string   `json:"name"`
	Role     string   `json:"role" required:"true" enum:"customer,agent,project_manager,ops_manager,admin"`
	Level    string   `json:"level" doc:"required for an agent: N1, N2 or N3"`
	Domains  []string `json:"domains"`
	Customer string   `json:"customer" doc:"required for a customer user: the organisation's code or id"`
	Lang     string   `json:"lang" enum:"fr,en,"`
	Password string   `json:"password" doc:"optional; without it the user cannot log in until one is set"`
	Manager  string   `json:"manager" doc:"staff only, optional: the address of their manager (an enabled member of the vendor's team)"`
}

// userJSON converts users, naming their organisations by code (read once per organisation).
func (a *API) userJSON(ctx context.Context, us ...*opsdesk.User) ([]user, error) {
	codes, managers := map[int64]string{}, map[int64]string{}
	out := make([]user, 0, len(us))
	for _, u := range us {
		j := user{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Domains: u.Domains, Lang: string(u.Lang),
			Disabled: u.Disabled, CreatedAt: apijson.Stamp(u.CreatedAt), UpdatedAt: apijson.Stamp(u.UpdatedAt)}
		if j.Domains == nil {
			j.Domains = []string{}
		}
		if u.Level != "" {
			l := string(u.Level)
			j.Level = &l
		}
		if u.CustomerID != 0 {
			code, ok := codes[u.CustomerID]
			if !ok {
				c, err := a.db.CustomerByID(ctx, u.CustomerID)
				if err != nil {
					return nil, err
				}
				code, codes[u.CustomerID] = c.Code, c.Code
			}
			j.Customer = &code
		}
		if u.ManagerID != 0 {
			email, ok := managers[u.ManagerID]
			if !ok {
				m, err := a.db.UserByID(ctx, u.ManagerID)
				if err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
					return nil, err
				}
				if err == nil {
					email = m.Email
				}
				managers[u.ManagerID] = email
			}
			if email != "" {
				j.Manager = &email
			}
		}
		out = append(out, j)
	}
	return out, nil
}

func (a *API) writeUser(w http.ResponseWriter, r *http.Request, status int, u *opsdesk.User) error {
	j, err := a.userJSON(r.Context(), u)
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		return created(w, Prefix+"/users/"+strconv.FormatInt(u.ID, 10), j[0])
	}
	return writeJSON(w, status, j[0])
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	u, err := a.db.UserByID(r.Context(), opsdesk.ActorFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	return a.writeUser(w, r, http.StatusOK, u)
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := a.db.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return a.writeUser(w, r, http.StatusOK, u)
}

// listUsers lists the users the caller may see, filtered by ?role=, ?level=, ?customer= (code),
// ?q= (part of the email or name) and ?limit= (at most 1000).
func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := store.UserFilter{Role: opsdesk.Role(q.Get("role")), Query: q.Get("q")}
	if f.Role != "" && !f.Role.Valid() {
		return opsdesk.Invalid("role", "%q is not a role", f.Role)
	}
	if l := q.Get("level"); l != "" {
		var ok bool
		if f.Level, ok = opsdesk.ParseLevel(l); !ok {
			return opsdesk.Invalid("level", "%q is not a level (N1, N2, N3)", l)
		}
	}
	if code := q.Get("customer"); code != "" {
		c, err := a.db.CustomerByCode(ctx, code)
		if err != nil {
			return withField(err, "customer")
		}
		f.CustomerID = c.ID
	}
	var err error
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return err
	}
	us, err := a.db.ListUsers(ctx, f)
	if err != nil {
		return err
	}
	out, err := a.userJSON(ctx, us...)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, items[user]{Items: out})
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	var in newUser
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	u := &opsdesk.User{Email: in.Email, Name: in.Name, Role: opsdesk.Role(in.Role), Level: opsdesk.Level(in.Level),
		Domains: in.Domains, Lang: opsdesk.Lang(in.Lang)}
	if ref := strings.TrimSpace(in.Customer); ref != "" {
		c, err := a.customerRef(ctx, ref)
		if err != nil {
			return err
		}
		u.CustomerID = c.ID
	}
	if ref := strings.TrimSpace(in.Manager); ref != "" {
		m, err := a.db.UserByEmail(ctx, ref)
		if opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return opsdesk.Invalid("manager", "no user %s", ref)
		}
		if err != nil {
			return err
		}
		u.ManagerID = m.ID
	}
	if !opsdesk.ActorFrom(ctx).CanManage() { // before hashing a password for nothing
		return opsdesk.Forbidden("only admins and ops managers create users")
	}
	hash := ""
	if in.Password != "" {
		if err := auth.ValidatePassword(in.Password); err != nil {
			return opsdesk.Invalid("password", "%v", err)
		}
		var err error
		if hash, err = auth.HashPassword(in.Password, auth.DefaultParams); err != nil {
			return opsdesk.Internal("api.createUser", err)
		}
	}
	if err := a.db.CreateUser(ctx, u, hash); err != nil {
		return err
	}
	return a.writeUser(w, r, http.StatusCreated, u)
}
