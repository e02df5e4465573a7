package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestAuthentication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.do("", "GET", "/api/v1/tickets", nil)
		r.problem(t, http.StatusUnauthorized, "")
		if r.header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
		for _, h := range []string{"Bearer odk_not-a-real-token", "Bearer " + strings.Repeat("x", 47), "Basic YWxpY2U6c2VjcmV0", "Bearer"} {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
			req.Header.Set("Authorization", h)
			e.send("", req).problem(t, http.StatusUnauthorized, "")
		}
		// A revoked token stops working at once.
		secret, tok, err := db.CreateAPIToken(system, e.users["alice"].ID, "revoked", noExpiry)
		must(t, err)
		must(t, db.RevokeAPIToken(system, tok.ID))
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		e.send("", req).problem(t, http.StatusUnauthorized, "")

		// The OpenAPI document is public.
		e.do("", "GET", "/api/v1/openapi.json", nil).want(t, http.StatusOK, nil)
	})
}

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.file("alice", nil)
		cases := []struct {
			name, method, path string
			body               any
			status             int
			field              string
		}{
			{"malformed JSON", "POST", "/api/v1/tickets", `{"subject": "x",`, 400, ""},
			{"broken JSON", "POST", "/api/v1/tickets", `{"subject" "x"}`, 400, ""},
			{"empty body", "POST", "/api/v1/tickets", "", 400, ""},
			{"not an object", "POST", "/api/v1/tickets", `["subject"]`, 400, ""},
			{"two objects", "POST", "/api/v1/tickets", `{} {}`, 400, ""},
			{"unknown field", "POST", "/api/v1/tickets", `{"subjet": "typo"}`, 400, "subjet"},
			{"wrong type: string", "POST", "/api/v1/tickets", `{"subject": 12}`, 400, "subject"},
			{"wrong type: bool", "POST", "/api/v1/tickets/" + tk.Number + "/messages", `{"body": "x", "internal": "yes"}`, 400, "internal"},
			{"wrong type: list", "POST", "/api/v1/tickets/" + tk.Number + "/messages", `{"body": "x", "attachments": [1, "two"]}`, 400, "attachments"},
			{"wrong type: nullable", "PATCH", "/api/v1/tickets/" + tk.Number, `{"assignee": {"email": "x"}}`, 400, "assignee"},
			{"missing subject", "POST", "/api/v1/tickets", `{"customer": "ACME", "requester": "alice@acme.example", "severity": "minor", "category": "application", "description": "d"}`, 422, "subject"},
			{"missing description", "POST", "/api/v1/tickets", `{"customer": "ACME", "requester": "alice@acme.example", "severity": "minor", "category": "application", "subject": "s"}`, 422, "description"},
			{"missing severity", "POST", "/api/v1/tickets", `{"customer": "ACME", "requester": "alice@acme.example", "category": "application", "subject": "s", "description": "d"}`, 422, "severity"},
			{"unknown category", "POST", "/api/v1/tickets", `{"customer": "ACME", "requester": "alice@acme.example", "severity": "minor", "category": "hr", "subject": "s", "description": "d"}`, 422, "category"},
			{"unknown status filter", "GET", "/api/v1/tickets?status=open,pending", nil, 422, "status"},
			{"bad level filter", "GET", "/api/v1/tickets?level=N4", nil, 422, "level"},
			{"bad environment filter", "GET", "/api/v1/tickets?environment=staging", nil, 422, "environment"},
			{"bad limit", "GET", "/api/v1/tickets?limit=ten", nil, 422, "limit"},
			{"limit too high", "GET", "/api/v1/tickets?limit=500", nil, 422, "limit"},
			{"bad cursor", "GET", "/api/v1/tickets?cursor=bm9wZQ", nil, 422, "cursor"},
			{"bad sort", "GET", "/api/v1/tickets?sort=-colour", nil, 422, "sort"},
			{"unknown customer filter", "GET", "/api/v1/tickets?customer=NOPE", nil, 404, "customer"},
			{"bad attachment id", "GET", "/api/v1/tickets/" + tk.Number + "/attachments/abc", nil, 404, ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := e.do("n1", c.method, c.path, c.body).problem(t, c.status, c.field)
				if p.Detail == "" || strings.Contains(p.Detail, "goroutine") {
					t.Errorf("detail = %q", p.Detail)
				}
			})
		}

		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/tickets", strings.NewReader("subject=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		e.send("n1", req).problem(t, http.StatusUnsupportedMediaType, "Content-Type")

		big := `{"subject": "` + strings.Repeat("x", 2<<20) + `"}`
		e.do("n1", "POST", "/api/v1/tickets", big).problem(t, http.StatusRequestEntityTooLarge, "")

		e.do("n1", "GET", "/api/v1/nothing/here", nil).problem(t, http.StatusNotFound, "")
		r := e.do("n1", "DELETE", "/api/v1/tickets", nil)
		r.problem(t, http.StatusMethodNotAllowed, "")
		if allow := r.header.Get("Allow"); allow != "GET, POST" {
			t.Errorf("Allow = %q", allow)
		}
	})
}
