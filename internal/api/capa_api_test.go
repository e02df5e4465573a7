package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// actionJSON is an action as the API answers it.
type actionJSON struct {
	ID          int64   `json:"id"`
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Source      string  `json:"source"`
	SourceID    int64   `json:"source_id"`
	Suggested   bool    `json:"suggested"`
	Customer    *string `json:"customer"`
	Owner       *string `json:"owner"`
	DueDay      string  `json:"due_day"`
	Status      string  `json:"status"`
	Reason      string  `json:"reason"`
	ClosedAt    *string `json:"closed_at"`
	Effective   *bool   `json:"effective"`
	CheckNote   string  `json:"check_note"`
}

type actionListJSON struct {
	Items  []actionJSON `json:"items"`
	Counts struct {
		ByStatus map[string]int `json:"by_status"`
		Overdue  int            `json:"overdue"`
	} `json:"counts"`
}

type actionDetailJSON struct {
	Action  actionJSON `json:"action"`
	History []struct {
		By, Change, Note string
	} `json:"history"`
}

// seedAction records, as the ops manager, an open action for ACME with an internal description,
// and returns its path.
func (e *env) seedAction() string {
	e.t.Helper()
	var a actionJSON
	e.do("ops", "POST", "/api/v1/actions", map[string]any{"kind": "corrective", "title": "Secret of ACME action",
		"description": "internal: ACME's DBA forgot the index", "customer": "ACME"}).want(e.t, http.StatusCreated, &a)
	return "/api/v1/actions/" + strconv.FormatInt(a.ID, 10)
}

func strOf(p *string) string {
	if p == nil {
		return "<null>"
	}
	return *p
}

func TestCAPAAPICreateEditMove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		// Unreadable bodies are 400, invalid fields 422 naming the field.
		e.do("n1", "POST", "/api/v1/actions", `{"kind": `).problem(t, http.StatusBadRequest, "")
		e.do("n1", "POST", "/api/v1/actions", map[string]any{"kind": "corrective", "title": "t", "colour": "red"}).problem(t, http.StatusBadRequest, "colour")
		e.do("n1", "POST", "/api/v1/actions", map[string]any{"kind": "corrective", "title": 3}).problem(t, http.StatusBadRequest, "title")
		bad := []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "corrective"}, "title"},
			{map[string]any{"kind": "curative", "title": "t"}, "kind"},
			{map[string]any{"kind": "corrective", "title": "t", "customer": "NOPE"}, "customer"},
			{map[string]any{"kind": "corrective", "title": "t", "owner": "alice@acme.example"}, "owner"},
			{map[string]any{"kind": "corrective", "title": "t", "source": "problem"}, "source_id"},
			{map[string]any{"kind": "corrective", "title": "t", "due_day": "tomorrow"}, "due_day"},
		}
		for _, b := range bad {
			e.do("n1", "POST", "/api/v1/actions", b.body).problem(t, http.StatusUnprocessableEntity, b.field)
		}

		var a actionJSON
		r := e.do("n1", "POST", "/api/v1/actions", map[string]any{"kind": "preventive", "title": " Add an index ",
			"customer": "acme", "owner": "me", "due_day": "2030-01-31"}).want(t, http.StatusCreated, &a)
		path := "/api/v1/actions/" + strconv.FormatInt(a.ID, 10)
		if r.header.Get("Location") != path || a.Title != "Add an index" || a.Status != "open" || strOf(a.Customer) != "ACME" ||
			strOf(a.Owner) != "n1@vendor.example" || a.Source != "manual" || a.Suggested {
			t.Fatalf("created %+v at %s", a, r.header.Get("Location"))
		}
		// From a ticket's breach, the customer comes from the ticket.
		tk := e.file("bob", map[string]any{"subject": "Slow"})
		ticket, err := db.TicketByKey(system, tk.Number)
		must(t, err)
		var fromTicket actionJSON
		e.do("n1", "POST", "/api/v1/actions", map[string]any{"kind": "corrective", "title": "Staff the night shift",
			"source": "sla_breach", "source_id": ticket.ID, "source_clock": "resolve"}).want(t, http.StatusCreated, &fromTicket)
		if strOf(fromTicket.Customer) != "GLOBEX" || fromTicket.SourceID != ticket.ID {
			t.Fatalf("action from a ticket: %+v", fromTicket)
		}

		// Edit: absent fields stay, null clears.
		var edited actionJSON
		e.do("n1", "PATCH", path, map[string]any{"title": "Add two indexes", "customer": nil}).want(t, http.StatusOK, &edited)
		if edited.Title != "Add two indexes" || edited.Customer != nil || edited.DueDay != "2030-01-31" || strOf(edited.Owner) != "n1@vendor.example" {
			t.Fatalf("edited %+v", edited)
		}
		e.do("n1", "PATCH", path, map[string]any{"owner": "bob@globex.example"}).problem(t, http.StatusUnprocessableEntity, "owner")
		e.do("n1", "PATCH", path, map[string]any{"customer": "NOPE"}).problem(t, http.StatusUnprocessableEntity, "customer")
		e.do("n1", "PATCH", path, map[string]any{"title": ""}).problem(t, http.StatusUnprocessableEntity, "title")
		e.do("n1", "PATCH", "/api/v1/actions/999999", map[string]any{"title": "x"}).problem(t, http.StatusNotFound, "")

		// Moves and the effectiveness check.
		steps := []struct {
			user   string
			path   string
			body   map[string]any
			status int
			field  string
		}{
			{"n1", "/effectiveness", map[string]any{"effective": true}, 422, "status"},
			{"n1", "/status", map[string]any{"status": "cancelled", "reason": "x"}, 403, ""},
			{"ops", "/status", map[string]any{"status": "cancelled"}, 422, "reason"},
			{"n1", "/status", map[string]any{"status": "proposed"}, 422, "status"},
			{"n1", "/status", map[string]any{}, 422, "status"},
			{"n1", "/status", map[string]any{"status": "in_progress"}, 200, ""},
			{"n1", "/status", map[string]any{"status": "done"}, 200, ""},
			{"n1", "/effectiveness", map[string]any{}, 422, "effective"},
			{"n1", "/effectiveness", map[string]any{"effective": false}, 422, "note"},
			{"n1", "/effectiveness", map[string]any{"effective": false, "note": "slow again on 3 May"}, 200, ""},
		}
		for _, s := range steps {
			r := e.do(s.user, "POST", path+s.path, s.body)
			if s.status == 200 {
				r.want(t, 200, nil)
				continue
			}
			r.problem(t, s.status, s.field)
		}
		e.do("n1", "PATCH", path, map[string]any{"title": "late"}).problem(t, http.StatusUnprocessableEntity, "status")
		var d actionDetailJSON
		e.do("n2", "GET", path, nil).want(t, http.StatusOK, &d)
		if d.Action.Status != "done" || d.Action.ClosedAt == nil || d.Action.Effective == nil || *d.Action.Effective ||
			d.Action.CheckNote != "slow again on 3 May" {
			t.Fatalf("detail %+v", d.Action)
		}
		var changes []string
		for _, h := range d.History {
			changes = append(changes, h.Change)
		}
		want := []string{"created", "edited", "status:in_progress", "status:done", "checked:recurred"}
		if len(changes) != len(want) {
			t.Fatalf("history %v, want %v", changes, want)
		}
		for i := range want {
			if changes[i] != want[i] {
				t.Fatalf("history %v, want %v", changes, want)
			}
		}
		e.do("n1", "GET", "/api/v1/actions/x1", nil).problem(t, http.StatusNotFound, "")
	})
}

func TestCAPAAPIListAndCustomers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		secret := e.seedAction()
		mk := func(body map[string]any) int64 {
			var a actionJSON
			e.do("ops", "POST", "/api/v1/actions", body).want(t, http.StatusCreated, &a)
			return a.ID
		}
		started := mk(map[string]any{"kind": "preventive", "title": "Acme late", "customer": "ACME", "due_day": "2001-01-01", "owner": "n2@vendor.example"})
		e.do("n2", "POST", "/api/v1/actions/"+strconv.FormatInt(started, 10)+"/status", map[string]any{"status": "in_progress"}).want(t, 200, nil)
		cancelled := mk(map[string]any{"kind": "corrective", "title": "Acme cancelled", "customer": "ACME"})
		e.do("ops", "POST", "/api/v1/actions/"+strconv.FormatInt(cancelled, 10)+"/status", map[string]any{"status": "cancelled", "reason": "dup"}).want(t, 200, nil)
		mk(map[string]any{"kind": "corrective", "title": "Globex one", "customer": "GLOBEX"})
		mk(map[string]any{"kind": "corrective", "title": "Vendor own"})

		titles := func(l actionListJSON) map[string]bool {
			out := map[string]bool{}
			for _, a := range l.Items {
				out[a.Title] = true
			}
			return out
		}
		cases := []struct {
			user, query string
			want        []string
		}{
			{"n1", "", []string{"Secret of ACME action", "Acme late", "Acme cancelled", "Globex one", "Vendor own"}},
			{"n1", "?customer=ACME&open=true", []string{"Secret of ACME action", "Acme late"}},
			{"n1", "?status=cancelled,done", []string{"Acme cancelled"}},
			{"n1", "?overdue=true", []string{"Acme late"}},
			{"n1", "?owner=n2@vendor.example&kind=preventive", []string{"Acme late"}},
			{"n1", "?source=manual&kind=corrective&customer=GLOBEX", []string{"Globex one"}},
			{"alice", "", []string{"Secret of ACME action", "Acme late"}},
			{"alice", "?status=cancelled", nil},
			{"bob", "", []string{"Globex one"}},
		}
		for _, c := range cases {
			var l actionListJSON
			e.do(c.user, "GET", "/api/v1/actions"+c.query, nil).want(t, http.StatusOK, &l)
			got := titles(l)
			if len(got) != len(c.want) {
				t.Errorf("%s %q: %v, want %v", c.user, c.query, got, c.want)
				continue
			}
			for _, w := range c.want {
				if !got[w] {
					t.Errorf("%s %q: %v, want %v", c.user, c.query, got, c.want)
				}
			}
		}
		var l actionListJSON
		e.do("n1", "GET", "/api/v1/actions?customer=ACME", nil).want(t, http.StatusOK, &l)
		if l.Counts.ByStatus["open"] != 1 || l.Counts.ByStatus["in_progress"] != 1 || l.Counts.ByStatus["cancelled"] != 1 || l.Counts.Overdue != 1 {
			t.Errorf("counts %+v", l.Counts)
		}
		for q, field := range map[string]string{"?status=late": "status", "?open=perhaps": "open", "?kind=x": "kind",
			"?source=mail": "source", "?owner=nobody@x.example": "owner", "?limit=-1": "limit"} {
			e.do("n1", "GET", "/api/v1/actions"+q, nil).problem(t, http.StatusUnprocessableEntity, field)
		}

		// A customer reads its own accepted actions without the internal fields, and no history.
		var d actionDetailJSON
		e.do("alice", "GET", secret, nil).want(t, http.StatusOK, &d)
		if d.Action.Title != "Secret of ACME action" || d.Action.Description != "" || d.Action.Source != "" || len(d.History) != 0 {
			t.Fatalf("alice reads %+v", d)
		}
		e.do("alice", "GET", "/api/v1/actions/"+strconv.FormatInt(cancelled, 10), nil).problem(t, http.StatusNotFound, "")
		e.do("alice", "POST", "/api/v1/actions", map[string]any{"kind": "corrective", "title": "mine"}).problem(t, http.StatusForbidden, "")
		e.do("alice", "PATCH", secret, map[string]any{"title": "mine"}).problem(t, http.StatusForbidden, "")
	})
}

func TestCAPAAPISuggest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var p problemJSON
		e.do("ops", "POST", "/api/v1/problems", map[string]any{"title": "Disk full"}).want(t, http.StatusCreated, &p)
		for range 3 {
			tk := e.file("alice", map[string]any{"subject": "Disk"})
			e.do("ops", "POST", "/api/v1/problems/"+strconv.FormatInt(p.ID, 10)+"/tickets", map[string]any{"ticket": tk.Number}).
				want(t, http.StatusCreated, nil)
		}
		e.do("n1", "POST", "/api/v1/actions/suggest", nil).problem(t, http.StatusForbidden, "")
		var made struct{ Items []actionJSON }
		e.do("ops", "POST", "/api/v1/actions/suggest", nil).want(t, http.StatusOK, &made)
		n := 0
		for _, a := range made.Items {
			if a.Source == "problem" && a.SourceID == p.ID {
				n++
				if a.Status != "proposed" || !a.Suggested {
					t.Errorf("suggestion %+v", a)
				}
			}
		}
		if n != 1 {
			t.Fatalf("first run: %+v, want one suggestion for problem %d", made.Items, p.ID)
		}
		e.do("ops", "POST", "/api/v1/actions/suggest", map[string]any{"all": true}).problem(t, http.StatusBadRequest, "all")
		e.do("root", "POST", "/api/v1/actions/suggest", map[string]any{}).want(t, http.StatusOK, &made)
		if len(made.Items) != 0 {
			t.Fatalf("second run made %+v", made.Items)
		}
	})
}
