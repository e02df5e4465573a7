package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type operation struct {
	Summary    string `json:"summary"`
	Parameters []struct {
		Name, In string
		Required bool
	} `json:"parameters"`
	RequestBody map[string]any `json:"requestBody"`
	Responses   map[string]any `json:"responses"`
}

// TestOpenAPIMatchesRoutes checks the served document against the routes really registered on
// the mux: every route is described, every described operation is a route, every path
// parameter is declared and every schema reference resolves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.do("", "GET", "/api/v1/openapi.json", nil).want(t, http.StatusOK, nil)
		var doc struct {
			OpenAPI    string                          `json:"openapi"`
			Paths      map[string]map[string]operation `json:"paths"`
			Components struct {
				Schemas map[string]json.RawMessage `json:"schemas"`
			} `json:"components"`
		}
		must(t, json.Unmarshal(r.body, &doc))
		if doc.OpenAPI != "3.1.0" {
			t.Errorf("openapi = %q", doc.OpenAPI)
		}

		routes := e.api.Patterns()
		if len(routes) < 27 {
			t.Fatalf("only %d routes", len(routes))
		}
		braces := regexp.MustCompile(`\{(\w+)\}`)
		for _, p := range routes {
			method, path, _ := strings.Cut(p, " ")
			// The route is what the mux really serves for a concrete request.
			concrete := braces.ReplaceAllString(path, "1")
			req, _ := http.NewRequest(method, e.srv.URL+concrete, nil)
			if _, got := e.mux.Handler(req); got != p {
				t.Errorf("%s %s is served by %q, not by route %q", method, concrete, got, p)
			}
			op, ok := doc.Paths[path][strings.ToLower(method)]
			if !ok {
				t.Errorf("route %s is not in the OpenAPI document", p)
				continue
			}
			if op.Summary == "" || len(op.Responses) < 2 {
				t.Errorf("%s: summary %q, responses %v", p, op.Summary, op.Responses)
			}
			var declared []string
			for _, prm := range op.Parameters {
				if prm.In == "path" && prm.Required {
					declared = append(declared, prm.Name)
				}
			}
			var want []string
			for _, m := range braces.FindAllStringSubmatch(path, -1) {
				want = append(want, m[1])
			}
			if !slices.Equal(declared, want) {
				t.Errorf("%s declares path parameters %v, want %v", p, declared, want)
			}
			if (method == "POST" || method == "PATCH") && op.RequestBody == nil && !strings.HasSuffix(path, "/take") {
				t.Errorf("%s has no request body", p)
			}
		}
		for path, ops := range doc.Paths {
			for method := range ops {
				if p := strings.ToUpper(method) + " " + path; !slices.Contains(routes, p) {
					t.Errorf("the OpenAPI document describes %s, which is not a route", p)
				}
			}
		}
		for _, m := range regexp.MustCompile(`"\$ref":"#/components/schemas/(\w+)"`).FindAllStringSubmatch(string(r.body), -1) {
			if _, ok := doc.Components.Schemas[m[1]]; !ok {
				t.Errorf("reference to undefined schema %s", m[1])
			}
		}
		for _, name := range []string{"Ticket", "TicketList", "NewTicket", "TicketPatch", "Message", "Problem", "Webhook"} {
			if _, ok := doc.Components.Schemas[name]; !ok {
				t.Errorf("schema %s is missing", name)
			}
		}
	})
}
