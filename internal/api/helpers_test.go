package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/api"
	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// system is the context of an operator seeding data.
var system = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

const maxUpload = 64 << 10

var noExpiry time.Time

// env is a running API on a real listener over a fresh database: two customers with a prod and
// a test environment each, and a token per user. The service-level defaults are seeded (the two
// calendars, the default targets of each contract), as the program does at start. opts adjust
// the API's options.
type env struct {
	t                    *testing.T
	db                   *store.DB
	srv                  *httptest.Server
	api                  *api.API
	mux                  *http.ServeMux
	acme, globex         *opsdesk.Customer
	acmeProd, globexProd *opsdesk.Environment
	users                map[string]*opsdesk.User
	tokens               map[string]string
}

func newEnv(t *testing.T, db *store.DB, opts ...func(*api.Options)) *env {
	t.Helper()
	if err := db.SeedDefaults(system); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, users: map[string]*opsdesk.User{}, tokens: map[string]string{},
		acme:   &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}},
		globex: &opsdesk.Customer{Code: "GLOBEX", Name: "Globex", Domains: []string{"globex.example"}}}
	for _, c := range []*opsdesk.Customer{e.acme, e.globex} {
		must(t, db.CreateCustomer(system, c))
	}
	e.acmeProd = &opsdesk.Environment{CustomerID: e.acme.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	e.globexProd = &opsdesk.Environment{CustomerID: e.globex.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	for _, env := range []*opsdesk.Environment{e.acmeProd, e.globexProd,
		{CustomerID: e.acme.ID, Kind: opsdesk.EnvTest, Name: "Recette"}} {
		must(t, db.CreateEnvironment(system, env))
	}
	for _, u := range []*opsdesk.User{
		{Email: "alice@acme.example", Name: "Alice", Role: opsdesk.RoleCustomer, CustomerID: e.acme.ID},
		{Email: "bob@globex.example", Name: "Bob", Role: opsdesk.RoleCustomer, CustomerID: e.globex.ID},
		{Email: "n1@vendor.example", Name: "Nina", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1},
		{Email: "n2@vendor.example", Name: "Noah", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN2},
		{Email: "ops@vendor.example", Role: opsdesk.RoleOpsManager},
		{Email: "root@vendor.example", Role: opsdesk.RoleAdmin},
	} {
		e.addUser(u)
	}
	must(t, db.SeedSLADefaults(system))
	blobs, err := blob.Open(t.TempDir())
	must(t, err)
	opt := api.Options{DB: db, Blobs: blobs, Config: config.Config{BaseURL: "https://desk.example", MaxUpload: maxUpload}}
	for _, f := range opts {
		f(&opt)
	}
	a := api.New(opt)
	e.api, e.mux = a, http.NewServeMux()
	a.Routes(e.mux)
	e.srv = httptest.NewServer(e.mux)
	t.Cleanup(e.srv.Close)
	return e
}

// addUser creates a user with a token, known by the local part of the address.
func (e *env) addUser(u *opsdesk.User) {
	e.t.Helper()
	must(e.t, e.db.CreateUser(system, u, ""))
	name, _, _ := strings.Cut(u.Email, "@")
	secret, _, err := e.db.CreateAPIToken(system, u.ID, "test", noExpiry)
	must(e.t, err)
	e.users[name], e.tokens[name] = u, secret
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// resp is an answer of the API.
type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request as the named user ("" for none). body is sent as is when it is a string
// or []byte, as JSON otherwise.
func (e *env) do(user, method, path string, body any) *resp {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		must(e.t, err)
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	must(e.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(user, req)
}

func (e *env) send(user string, req *http.Request) *resp {
	e.t.Helper()
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	res, err := http.DefaultClient.Do(req)
	must(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(e.t, err)
	return &resp{status: res.StatusCode, header: res.Header, body: b}
}

// want fails unless the answer has the status, and decodes it into v when v is not nil.
func (r *resp) want(t *testing.T, status int, v any) *resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if v != nil {
		if err := json.Unmarshal(r.body, v); err != nil {
			t.Fatalf("decode %s: %v", r.body, err)
		}
	}
	return r
}

// problem fails unless the answer is a problem document of the status and field ("*": any).
func (r *resp) problem(t *testing.T, status int, field string) api.Problem {
	t.Helper()
	var p api.Problem
	r.want(t, status, &p)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	if p.Status != status || !strings.HasPrefix(p.Type, api.ProblemBase) || p.Title == "" || (field != "*" && p.Field != field) {
		t.Errorf("problem = %+v, want status %d and field %q", p, status, field)
	}
	return p
}

// file files a ticket through the API as user and returns it.
func (e *env) file(user string, body map[string]any) apijson.Ticket {
	e.t.Helper()
	req := map[string]any{"severity": "minor", "category": "application", "subject": "Export fails", "description": "The CSV export stops at 1000 lines"}
	for k, v := range body {
		req[k] = v
	}
	var tk apijson.Ticket
	e.do(user, "POST", "/api/v1/tickets", req).want(e.t, http.StatusCreated, &tk)
	return tk
}
