package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type userJSON struct {
	ID       int64
	Email    string
	Role     string
	Level    *string
	Customer *string
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var me userJSON
		e.do("alice", "GET", "/api/v1/me", nil).want(t, http.StatusOK, &me)
		if me.Email != "alice@acme.example" || me.Role != "customer" || me.Level != nil || me.Customer == nil || *me.Customer != "ACME" {
			t.Fatalf("me = %+v", me)
		}

		var u userJSON
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "n3@vendor.example", "role": "agent", "level": "N3", "password": "short"}).
			problem(t, http.StatusUnprocessableEntity, "password")
		r := e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "n3@vendor.example", "name": "Nils", "role": "agent", "level": "N3",
			"password": "a long enough password"}).want(t, http.StatusCreated, &u)
		if u.Level == nil || *u.Level != "N3" || u.Customer != nil || r.header.Get("Location") != "/api/v1/users/"+strconv.FormatInt(u.ID, 10) {
			t.Fatalf("created = %+v, Location %q", u, r.header.Get("Location"))
		}
		if _, err := db.Authenticate(system, "n3@vendor.example", "a long enough password"); err != nil {
			t.Errorf("the new user cannot log in: %v", err)
		}
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "dan@acme.example", "role": "customer", "customer": "ACME"}).want(t, http.StatusCreated, &u)
		if u.Customer == nil || *u.Customer != "ACME" {
			t.Fatalf("customer user = %+v", u)
		}
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "dan@acme.example", "role": "customer", "customer": "ACME"}).problem(t, http.StatusConflict, "email")
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "eve@acme.example", "role": "customer"}).problem(t, http.StatusUnprocessableEntity, "customer")
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "root2@vendor.example", "role": "admin"}).problem(t, http.StatusForbidden, "")
		e.do("n1", "POST", "/api/v1/users", map[string]any{"email": "x@vendor.example", "role": "agent", "level": "N1"}).problem(t, http.StatusForbidden, "")

		var list struct{ Items []userJSON }
		e.do("alice", "GET", "/api/v1/users", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 2 || list.Items[0].Email != "alice@acme.example" || list.Items[1].Email != "dan@acme.example" {
			t.Errorf("a customer lists %+v", list.Items)
		}
		e.do("n1", "GET", "/api/v1/users?role=agent&level=n2", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].Email != "n2@vendor.example" {
			t.Errorf("N2 agents = %+v", list.Items)
		}
		e.do("n1", "GET", "/api/v1/users?role=wizard", nil).problem(t, http.StatusUnprocessableEntity, "role")
		e.do("n1", "GET", "/api/v1/users/"+strconv.FormatInt(u.ID, 10), nil).want(t, http.StatusOK, &u)
		e.do("n1", "GET", "/api/v1/users/0", nil).problem(t, http.StatusNotFound, "")
	})
}

func TestCustomersContactsEnvironments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		type customer struct {
			Code, Name, Notes string
			Domains           []string
		}
		var c customer
		r := e.do("root", "POST", "/api/v1/customers", map[string]any{"code": "initech", "name": "Initech", "domains": []string{"Initech.example"},
			"lang": "en", "notes": "key account"}).want(t, http.StatusCreated, &c)
		if c.Code != "INITECH" || c.Domains[0] != "initech.example" || c.Notes != "key account" || r.header.Get("Location") != "/api/v1/customers/INITECH" {
			t.Fatalf("created = %+v", c)
		}
		e.do("root", "POST", "/api/v1/customers", map[string]any{"code": "INITECH", "name": "Again"}).problem(t, http.StatusConflict, "code")
		e.do("root", "POST", "/api/v1/customers", map[string]any{"code": "1X", "name": "Bad"}).problem(t, http.StatusUnprocessableEntity, "code")
		e.do("n1", "POST", "/api/v1/customers", map[string]any{"code": "NEWCO", "name": "New"}).problem(t, http.StatusForbidden, "")

		var cs struct{ Items []customer }
		e.do("n1", "GET", "/api/v1/customers", nil).want(t, http.StatusOK, &cs)
		if len(cs.Items) != 3 {
			t.Errorf("staff list %d customers, want 3", len(cs.Items))
		}
		e.do("n1", "GET", "/api/v1/customers/initech", nil).want(t, http.StatusOK, &c)
		if c.Notes != "key account" {
			t.Errorf("staff do not see notes: %+v", c)
		}
		initech, err := db.CustomerByCode(system, "INITECH")
		must(t, err)
		e.addUser(&opsdesk.User{Email: "ivan@initech.example", Role: opsdesk.RoleCustomer, CustomerID: initech.ID})

		type contact struct{ Email, Customer string }
		var ct contact
		e.do("n1", "POST", "/api/v1/customers/ACME/contacts", map[string]any{"email": "Carol@ACME.example", "name": "Carol"}).want(t, http.StatusCreated, &ct)
		if ct.Email != "carol@acme.example" || ct.Customer != "ACME" {
			t.Fatalf("contact = %+v", ct)
		}
		e.do("n1", "POST", "/api/v1/customers/GLOBEX/contacts", map[string]any{"email": "carol@acme.example"}).problem(t, http.StatusConflict, "email")
		e.do("n1", "POST", "/api/v1/customers/ACME/contacts", map[string]any{"email": "not an address"}).problem(t, http.StatusUnprocessableEntity, "email")
		e.do("alice", "POST", "/api/v1/customers/ACME/contacts", map[string]any{"email": "x@acme.example"}).problem(t, http.StatusForbidden, "")
		var cts struct{ Items []contact }
		e.do("alice", "GET", "/api/v1/customers/ACME/contacts", nil).want(t, http.StatusOK, &cts)
		if len(cts.Items) != 2 || cts.Items[0].Email != "alice@acme.example" || cts.Items[1].Email != "carol@acme.example" {
			t.Errorf("contacts = %+v", cts.Items)
		}

		var envs struct {
			Items []struct{ Kind, Name, Customer, Notes string }
		}
		e.do("alice", "GET", "/api/v1/customers/ACME/environments", nil).want(t, http.StatusOK, &envs)
		if len(envs.Items) != 2 || envs.Items[0].Kind != "test" || envs.Items[1].Name != "Production" || envs.Items[1].Customer != "ACME" {
			t.Errorf("environments = %+v", envs.Items)
		}
		e.do("alice", "GET", "/api/v1/customers/ACME", nil).want(t, http.StatusOK, &c)
		c = customer{}
		e.do("ivan", "GET", "/api/v1/customers/INITECH", nil).want(t, http.StatusOK, &c)
		if c.Notes != "" {
			t.Errorf("a customer reads the vendor's notes: %+v", c)
		}
	})
}
