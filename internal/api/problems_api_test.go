package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// problemJSON is a problem as a client decodes it.
type problemJSON struct {
	ID          int64   `json:"id"`
	Key         string  `json:"key"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	RootCause   string  `json:"root_cause"`
	Workaround  string  `json:"workaround"`
	Status      string  `json:"status"`
	Owner       *string `json:"owner"`
	CreatedBy   string  `json:"created_by"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
	ResolvedAt  *string `json:"resolved_at"`
	Version     int64   `json:"version"`
	Tickets     int     `json:"tickets"`
	OpenTickets int     `json:"open_tickets"`
}

// seedProblem has the ops manager record a problem and link ticket to it; it returns its path.
func (e *env) seedProblem(ticket string) string {
	e.t.Helper()
	var p problemJSON
	e.do("ops", "POST", "/api/v1/problems", map[string]any{"title": "Shared cause"}).want(e.t, http.StatusCreated, &p)
	path := "/api/v1/problems/" + strconv.FormatInt(p.ID, 10)
	e.do("ops", "POST", path+"/tickets", map[string]any{"ticket": ticket}).want(e.t, http.StatusCreated, nil)
	return path
}

// problemOf reads a problem as the admin.
func (e *env) problemOf(path string) problemJSON {
	e.t.Helper()
	var p problemJSON
	e.do("root", "GET", path, nil).want(e.t, http.StatusOK, &p)
	return p
}

func TestProblemAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		a := e.file("alice", map[string]any{"subject": "Export fails for Acme"})
		b := e.file("bob", map[string]any{"subject": "Export fails for Globex"})

		// Create: the raw shape first, then the decoded one.
		r := e.do("n1", "POST", "/api/v1/problems", map[string]any{"title": " Exports time out ", "description": "Since the upgrade",
			"owner": "me"}).want(t, http.StatusCreated, nil)
		var raw map[string]any
		if err := json.Unmarshal(r.body, &raw); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range raw {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := []string{"created_at", "created_by", "description", "id", "key", "open_tickets", "owner", "resolved_at", "root_cause",
			"status", "tickets", "title", "updated_at", "version", "workaround"}
		if !slices.Equal(keys, want) || raw["resolved_at"] != nil {
			t.Fatalf("problem keys = %v (resolved_at %v), want %v", keys, raw["resolved_at"], want)
		}
		var p problemJSON
		json.Unmarshal(r.body, &p)
		path := "/api/v1/problems/" + strconv.FormatInt(p.ID, 10)
		if r.header.Get("Location") != path || p.Key != "PRB-"+strconv.FormatInt(p.ID, 10) || p.Title != "Exports time out" ||
			p.Status != "open" || p.Owner == nil || *p.Owner != "n1@vendor.example" || p.CreatedBy != "n1@vendor.example" || p.Version != 1 {
			t.Fatalf("created %+v at %q", p, r.header.Get("Location"))
		}
		e.do("n1", "POST", "/api/v1/problems", map[string]any{"title": "x", "status": "known_error"}).problem(t, http.StatusUnprocessableEntity, "workaround")
		e.do("n1", "POST", "/api/v1/problems", map[string]any{"title": "x", "owner": "alice@acme.example"}).problem(t, http.StatusUnprocessableEntity, "owner")
		e.do("n1", "POST", "/api/v1/problems", map[string]any{"title": "x", "colour": "red"}).problem(t, http.StatusBadRequest, "*")

		// Read by id or key; patch to a known error, clearing the owner.
		var got problemJSON
		e.do("n2", "GET", "/api/v1/problems/"+p.Key, nil).want(t, http.StatusOK, &got)
		if got.ID != p.ID {
			t.Fatalf("by key: %+v", got)
		}
		e.do("n1", "GET", "/api/v1/problems/999", nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "PATCH", path, map[string]any{"status": "known_error", "root_cause": "Missing index", "workaround": "Export by month",
			"owner": nil}).want(t, http.StatusOK, &got)
		if got.Status != "known_error" || got.RootCause != "Missing index" || got.Workaround != "Export by month" || got.Owner != nil || got.Version != 2 {
			t.Fatalf("patched %+v", got)
		}
		e.do("n1", "PATCH", path, map[string]any{"status": "known_error"}).problem(t, http.StatusConflict, "status")

		// Link both tickets; once only.
		e.do("n1", "POST", path+"/tickets", map[string]any{"ticket": a.Number}).want(t, http.StatusCreated, &got)
		if got.Tickets != 1 || got.OpenTickets != 1 {
			t.Fatalf("after link: %+v", got)
		}
		e.do("n1", "POST", path+"/tickets", map[string]any{"ticket": b.Number}).want(t, http.StatusCreated, nil)
		e.do("n1", "POST", path+"/tickets", map[string]any{"ticket": a.Number}).problem(t, http.StatusConflict, "ticket")
		e.do("n1", "POST", path+"/tickets", map[string]any{"ticket": "OPS-9999"}).problem(t, http.StatusNotFound, "")
		e.do("n1", "POST", path+"/tickets", map[string]any{}).problem(t, http.StatusUnprocessableEntity, "ticket")
		var linked struct {
			Items []struct {
				Ticket            apijson.Ticket `json:"ticket"`
				LinkedBy          string         `json:"linked_by"`
				LinkedAt          string         `json:"linked_at"`
				NotifiedMessageID *int64         `json:"notified_message_id"`
			} `json:"items"`
		}
		e.do("n1", "GET", path+"/tickets", nil).want(t, http.StatusOK, &linked)
		if len(linked.Items) != 2 || linked.Items[0].Ticket.Number != a.Number || linked.Items[1].Ticket.Number != b.Number ||
			linked.Items[0].LinkedBy != "n1@vendor.example" || linked.Items[0].LinkedAt == "" || linked.Items[0].NotifiedMessageID != nil {
			t.Fatalf("linked = %+v", linked)
		}

		// The ticket's history (staff) shows the link; the customer's does not.
		var hist struct {
			Items []map[string]any `json:"items"`
		}
		e.do("n1", "GET", "/api/v1/tickets/"+a.Number+"/history", nil).want(t, http.StatusOK, &hist)
		if !slices.ContainsFunc(hist.Items, func(ev map[string]any) bool { return ev["field"] == "problem" }) {
			t.Errorf("staff history has no problem line: %v", hist.Items)
		}
		e.do("alice", "GET", "/api/v1/tickets/"+a.Number+"/history", nil).want(t, http.StatusOK, &hist)
		if slices.ContainsFunc(hist.Items, func(ev map[string]any) bool { return ev["field"] == "problem" }) {
			t.Errorf("the customer's history shows the problem: %v", hist.Items)
		}

		// List with the status filter.
		var list struct {
			Items []problemJSON `json:"items"`
		}
		e.do("n1", "POST", "/api/v1/problems", map[string]any{"title": "Other"}).want(t, http.StatusCreated, nil)
		e.do("n1", "GET", "/api/v1/problems?status=known_error", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].ID != p.ID || list.Items[0].Tickets != 2 {
			t.Fatalf("known errors = %+v", list.Items)
		}
		e.do("n1", "GET", "/api/v1/problems", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 2 {
			t.Fatalf("all problems = %+v", list.Items)
		}
		e.do("n1", "GET", "/api/v1/problems?status=fixed", nil).problem(t, http.StatusUnprocessableEntity, "status")

		// Unlink Globex's ticket, then resolve with a message: Acme's ticket gets it, once.
		e.do("n1", "DELETE", path+"/tickets/"+b.Number, nil).want(t, http.StatusNoContent, nil)
		e.do("n1", "DELETE", path+"/tickets/"+b.Number, nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "POST", path+"/resolve", map[string]any{"notify": true}).problem(t, http.StatusUnprocessableEntity, "message")
		var res struct {
			Problem  problemJSON `json:"problem"`
			Notified []string    `json:"notified"`
		}
		for i, want := range [][]string{{a.Number}, {}} { // the second call is a retry: nobody is told twice
			e.do("n1", "POST", path+"/resolve", map[string]any{"notify": true, "message": "Fixed in 4.2"}).want(t, http.StatusOK, &res)
			if res.Problem.Status != "resolved" || res.Problem.ResolvedAt == nil || !slices.Equal(res.Notified, want) {
				t.Fatalf("resolve #%d: %+v, want notified %v", i+1, res, want)
			}
		}
		var msgs struct {
			Items []apijson.Message `json:"items"`
		}
		e.do("alice", "GET", "/api/v1/tickets/"+a.Number+"/messages", nil).want(t, http.StatusOK, &msgs)
		n := 0
		for _, m := range msgs.Items {
			if m.Body == "Fixed in 4.2" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("Acme's requester sees the resolution %d times, want once: %+v", n, msgs.Items)
		}
		e.do("bob", "GET", "/api/v1/tickets/"+b.Number+"/messages", nil).want(t, http.StatusOK, &msgs)
		for _, m := range msgs.Items {
			if m.Body == "Fixed in 4.2" {
				t.Errorf("the unlinked ticket got the resolution")
			}
		}
		e.do("n1", "GET", path+"/tickets", nil).want(t, http.StatusOK, &linked)
		if len(linked.Items) != 1 || linked.Items[0].NotifiedMessageID == nil {
			t.Errorf("linked after resolution = %+v", linked)
		}

		// Close; a closed problem is final.
		e.do("n1", "PATCH", path, map[string]any{"status": "closed"}).want(t, http.StatusOK, nil)
		e.do("n1", "PATCH", path, map[string]any{"status": "open"}).problem(t, http.StatusConflict, "status")
		e.do("n1", "POST", path+"/resolve", map[string]any{}).problem(t, http.StatusConflict, "status")
	})
}
