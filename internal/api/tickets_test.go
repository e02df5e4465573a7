package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestCreateAndReadTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		r := e.do("alice", "POST", "/api/v1/tickets", map[string]any{"environment": "prod", "severity": "blocking", "category": "application",
			"subject": "Login down", "description": "Nobody can log in", "impact": "All 300 users blocked"})
		var tk apijson.Ticket
		r.want(t, http.StatusCreated, &tk)
		if loc := r.header.Get("Location"); loc != "/api/v1/tickets/OPS-1001" {
			t.Errorf("Location = %q", loc)
		}
		if tk.Number != "OPS-1001" || tk.Status != "new" || tk.Severity != "blocking" || tk.Level != "N1" || *tk.Environment != "prod" ||
			*tk.EnvironmentID != e.acmeProd.ID || *tk.EnvironmentName != "Production" || tk.Customer != "ACME" || tk.CustomerName != "Acme" ||
			tk.Requester != "alice@acme.example" || tk.RequesterName != "Alice" || tk.Channel != "api" || tk.Type != "incident" ||
			tk.Impact != "All 300 users blocked" || tk.URL != "https://desk.example/tickets/OPS-1001" || tk.Version < 1 {
			t.Fatalf("ticket = %+v", tk)
		}
		if at, err := time.Parse(time.RFC3339, tk.CreatedAt); err != nil || at.Location() != time.UTC {
			t.Errorf("created_at %q is not RFC 3339 UTC: %v", tk.CreatedAt, err)
		}
		var raw map[string]any
		json.Unmarshal(r.body, &raw)
		for _, k := range []string{"assignee", "taken_at", "resolved_at", "closed_at"} {
			if v, ok := raw[k]; !ok || v != nil {
				t.Errorf("%s = %v (present %v), want null", k, v, ok)
			}
		}

		// Staff file for any customer: by code or id, the environment by name or id.
		byName := e.file("n1", map[string]any{"customer": "globex", "requester": "bob@globex.example", "environment": "production", "type": "service_request"})
		if byName.Customer != "GLOBEX" || *byName.EnvironmentID != e.globexProd.ID || byName.Type != "service_request" {
			t.Errorf("filed by name = %+v", byName)
		}
		byID := e.file("n1", map[string]any{"customer": strconv.FormatInt(e.globex.ID, 10), "requester": "bob@globex.example",
			"environment": strconv.FormatInt(e.globexProd.ID, 10)})
		if byID.Customer != "GLOBEX" || *byID.EnvironmentID != e.globexProd.ID {
			t.Errorf("filed by id = %+v", byID)
		}
		if none := e.file("alice", nil); none.Environment != nil || none.EnvironmentID != nil {
			t.Errorf("a ticket without environment = %+v", none)
		}

		e.do("alice", "POST", "/api/v1/tickets", map[string]any{"customer": "GLOBEX", "severity": "minor", "category": "application",
			"subject": "s", "description": "d"}).problem(t, http.StatusNotFound, "customer")
		e.do("alice", "POST", "/api/v1/tickets", map[string]any{"severity": "blocking", "category": "application",
			"subject": "s", "description": "d"}).problem(t, http.StatusUnprocessableEntity, "impact")
		e.do("alice", "POST", "/api/v1/tickets", map[string]any{"environment": "preprod", "severity": "minor", "category": "application",
			"subject": "s", "description": "d"}).problem(t, http.StatusUnprocessableEntity, "environment")
		e.do("n1", "POST", "/api/v1/tickets", map[string]any{"severity": "minor", "category": "application",
			"subject": "s", "description": "d"}).problem(t, http.StatusUnprocessableEntity, "customer")

		var got apijson.Ticket
		e.do("alice", "GET", "/api/v1/tickets/ops-1001", nil).want(t, http.StatusOK, &got)
		if got.Number != "OPS-1001" || got.Subject != "Login down" {
			t.Errorf("get = %+v", got)
		}
		e.do("alice", "GET", "/api/v1/tickets/OPS-9999", nil).problem(t, http.StatusNotFound, "")
	})
}

func TestTicketLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.file("alice", map[string]any{"environment": "prod"})
		path := "/api/v1/tickets/" + tk.Number
		var got apijson.Ticket

		e.do("n1", "PATCH", path, map[string]any{"severity": "major", "environment": "test", "reason": "worse than said"}).want(t, http.StatusOK, &got)
		if got.Severity != "major" || *got.Environment != "test" || *got.EnvironmentName != "Recette" || got.Version <= tk.Version {
			t.Fatalf("patched = %+v", got)
		}
		e.do("n1", "PATCH", path, map[string]any{"assignee": "n1@vendor.example"}).want(t, http.StatusOK, &got)
		if got.Assignee == nil || *got.Assignee != "n1@vendor.example" || *got.AssigneeName != "Nina" {
			t.Fatalf("assigned = %+v", got)
		}
		e.do("n1", "PATCH", path, map[string]any{"assignee": nil, "environment": nil}).want(t, http.StatusOK, &got)
		if got.Assignee != nil || got.Environment != nil {
			t.Fatalf("unassigned = %+v", got)
		}
		e.do("n1", "PATCH", path, map[string]any{"assignee": "n2@vendor.example"}).problem(t, http.StatusUnprocessableEntity, "assignee")
		e.do("n1", "PATCH", path, map[string]any{"assignee": "nobody@vendor.example"}).problem(t, http.StatusUnprocessableEntity, "assignee")
		e.do("n1", "PATCH", path, map[string]any{}).problem(t, http.StatusUnprocessableEntity, "")
		e.do("alice", "PATCH", path, map[string]any{"severity": "blocking"}).problem(t, http.StatusForbidden, "")

		e.do("alice", "POST", path+"/take", nil).problem(t, http.StatusForbidden, "")
		e.do("n1", "POST", path+"/take", nil).want(t, http.StatusOK, &got)
		if got.Status != "open" || *got.Assignee != "n1@vendor.example" || got.TakenAt == nil {
			t.Fatalf("taken = %+v", got)
		}
		p := e.do("n1", "PATCH", path, map[string]any{"status": "closed"}).problem(t, http.StatusConflict, "status")
		if !strings.Contains(p.Detail, "cannot become closed; it can become waiting_customer or resolved") {
			t.Errorf("illegal transition detail = %q", p.Detail)
		}
		e.do("n1", "PATCH", path, map[string]any{"status": "pending"}).problem(t, http.StatusUnprocessableEntity, "status")

		e.do("n1", "POST", path+"/escalate", map[string]any{"level": "N2"}).problem(t, http.StatusUnprocessableEntity, "reason")
		e.do("alice", "POST", path+"/escalate", map[string]any{"level": "N2", "reason": "faster"}).problem(t, http.StatusForbidden, "")
		e.do("n1", "POST", path+"/escalate", map[string]any{"level": "n2", "reason": "needs a database expert"}).want(t, http.StatusOK, &got)
		if got.Level != "N2" || got.Assignee != nil {
			t.Fatalf("escalated = %+v (the N1 assignee is released)", got)
		}
		e.do("n2", "POST", path+"/escalate", map[string]any{"level": "N2", "reason": "again"}).problem(t, http.StatusConflict, "level")

		// Escalation outside the customer's contract is refused.
		must(t, db.SetContract(system, &opsdesk.Contract{CustomerID: e.acme.ID, Levels: []opsdesk.Level{"N1", "N2"}}))
		p = e.do("n2", "POST", path+"/escalate", map[string]any{"level": "N3", "reason": "needs R&D"}).problem(t, http.StatusConflict, "level")
		if p.Detail != "the contract of ACME does not provide N3 (it provides N1, N2)" {
			t.Errorf("contract detail = %q", p.Detail)
		}

		// Resolving needs a summary and a cause, each named when missing.
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"status": "resolved", "reason": "index rebuilt"}, "resolution"},
			{map[string]any{"status": "resolved", "resolution": "Rebuilt the index."}, "cause"},
			{map[string]any{"status": "resolved", "resolution": "Rebuilt the index.", "cause": "gremlins"}, "cause"},
			{map[string]any{"resolution": "Rebuilt the index.", "cause": "data"}, "resolution"},
		} {
			e.do("n2", "PATCH", path, c.body).problem(t, http.StatusUnprocessableEntity, c.field)
		}
		e.do("n2", "PATCH", path, map[string]any{"status": "resolved", "reason": "index rebuilt", "resolution": "Rebuilt the index.",
			"cause": "data"}).want(t, http.StatusOK, &got)
		if got.Status != "resolved" || got.ResolvedAt == nil || got.Resolution == nil || *got.Resolution != "Rebuilt the index." ||
			got.Cause == nil || *got.Cause != "data" {
			t.Fatalf("resolved = %+v", got)
		}
		// The requester reads the summary, never the cause.
		var mine apijson.Ticket
		e.do("alice", "GET", path, nil).want(t, http.StatusOK, &mine)
		if mine.Resolution == nil || *mine.Resolution != "Rebuilt the index." || mine.Cause != nil {
			t.Fatalf("customer reads resolution %v cause %v", mine.Resolution, mine.Cause)
		}
		var list struct{ Items []map[string]any }
		e.do("alice", "GET", "/api/v1/tickets", nil).want(t, http.StatusOK, &list)
		for _, it := range list.Items {
			if it["cause"] != nil {
				t.Errorf("customer's list shows cause %v", it["cause"])
			}
		}
		e.do("alice", "PATCH", path, map[string]any{"status": "closed"}).want(t, http.StatusOK, &got)
		if got.Status != "closed" || got.ClosedAt == nil {
			t.Fatalf("closed = %+v", got)
		}
		e.do("alice", "POST", path+"/messages", map[string]any{"body": "one more thing"}).problem(t, http.StatusConflict, "status")
	})
}

func TestMessagesAndHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.file("alice", nil)
		path := "/api/v1/tickets/" + tk.Number
		var m apijson.Message
		e.do("n1", "POST", path+"/messages", map[string]any{"body": "Which browser?"}).want(t, http.StatusCreated, &m)
		if m.Body != "Which browser?" || m.Internal || m.Author != "n1@vendor.example" || m.Number != tk.Number || m.Attachments == nil {
			t.Fatalf("reply = %+v", m)
		}
		e.do("n1", "POST", path+"/messages", map[string]any{"body": "Looks like the known export bug", "internal": true}).want(t, http.StatusCreated, &m)
		e.do("alice", "POST", path+"/messages", map[string]any{"body": "secret", "internal": true}).problem(t, http.StatusForbidden, "")
		e.do("alice", "POST", path+"/messages", map[string]any{"body": "  "}).problem(t, http.StatusUnprocessableEntity, "body")
		e.do("alice", "POST", path+"/messages", map[string]any{"body": "Firefox"}).want(t, http.StatusCreated, nil)

		var list struct{ Items []apijson.Message }
		e.do("alice", "GET", path+"/messages", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 3 || list.Items[0].Body != "The CSV export stops at 1000 lines" || list.Items[2].Body != "Firefox" {
			t.Fatalf("customer's conversation = %+v", list.Items)
		}
		for _, m := range list.Items {
			if m.Internal {
				t.Errorf("a customer reads an internal note: %+v", m)
			}
		}
		e.do("n1", "GET", path+"/messages", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 4 || !list.Items[2].Internal {
			t.Fatalf("agent's conversation = %+v", list.Items)
		}

		var hist struct {
			Items []struct {
				Kind, Actor, Field, Old, New, Reason string
				Internal                             bool
			}
		}
		e.do("n1", "GET", path+"/history", nil).want(t, http.StatusOK, &hist)
		kinds := ""
		for _, h := range hist.Items {
			kinds += h.Kind + " "
		}
		if kinds != "created message message change note message " {
			t.Errorf("history kinds = %q", kinds)
		}
		e.do("alice", "GET", path+"/history", nil).want(t, http.StatusOK, &hist)
		for _, h := range hist.Items {
			if h.Internal || h.Kind == "note" {
				t.Errorf("a customer sees an internal event: %+v", h)
			}
		}
	})
}

func TestCauseCodesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var got struct {
			Items []struct {
				Code    string `json:"code"`
				LabelFR string `json:"label_fr"`
				LabelEN string `json:"label_en"`
				Active  bool   `json:"active"`
			} `json:"items"`
		}
		e.do("n1", "GET", "/api/v1/cause-codes", nil).want(t, http.StatusOK, &got)
		if len(got.Items) != 9 || got.Items[0].Code != "defect" || got.Items[0].LabelEN != "Software defect" || !got.Items[0].Active {
			t.Fatalf("cause codes = %+v", got.Items)
		}
		e.do("alice", "GET", "/api/v1/cause-codes", nil).problem(t, http.StatusForbidden, "")
	})
}
