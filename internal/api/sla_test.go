package api_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/api"
	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// The SLA tests run on the default calendar, "France — jours ouvrés": Monday to Friday
// 09:00–12:30 and 14:00–18:00 in Europe/Paris (7.5 h a day). 2027-03-01 is a Monday, in winter
// time (UTC+1), and the week that follows has no holiday. The expected instants below are worked
// out by hand from that calendar and the default targets of docs/sla.md.

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// clock is the database's clock, frozen at a Paris wall time and moved by the test. It is read by
// the server's goroutines, hence atomic.
type clock struct{ ns atomic.Int64 }

// freeze makes db's clock a frozen one, set to the Paris wall time s ("2027-03-01 09:00").
func freeze(t *testing.T, db *store.DB, s string) *clock {
	t.Helper()
	c := &clock{}
	c.set(t, s)
	db.Now = func() time.Time { return time.Unix(0, c.ns.Load()).UTC() }
	return c
}

func (c *clock) set(t *testing.T, s string) {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	must(t, err)
	c.ns.Store(v.UnixNano())
}

// refresh stores the tickets' clocks and next deadlines, as the SLA watcher does after each change.
func (e *env) refresh(numbers ...string) {
	e.t.Helper()
	for _, n := range numbers {
		tk, err := e.db.TicketByKey(system, n)
		must(e.t, err)
		_, err = e.db.RefreshTicketClocks(system, tk.ID, store.SLAOptions{})
		must(e.t, err)
	}
}

// sla reads a ticket's clocks through the API, keyed by clock.
func (e *env) sla(user, number string) map[string]store.SLAClock {
	e.t.Helper()
	var got struct {
		Ticket string           `json:"ticket"`
		Clocks []store.SLAClock `json:"clocks"`
	}
	e.do(user, "GET", "/api/v1/tickets/"+number+"/sla", nil).want(e.t, http.StatusOK, &got)
	out := map[string]store.SLAClock{}
	for _, c := range got.Clocks {
		out[c.Clock] = c
	}
	return out
}

func i64(v int64) *int64   { return &v }
func str(s string) *string { return &s }

func TestTicketSLA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		opt := store.SLAOptions{Warn: 0.4} // the API shows clocks with its own options
		e := newEnv(t, db, func(o *api.Options) { o.SLA = opt })
		clk := freeze(t, db, "2027-03-01 09:00")
		tk := e.file("alice", map[string]any{"severity": "major", "environment": "prod"})
		clk.set(t, "2027-03-01 10:00")

		var got struct {
			Ticket string           `json:"ticket"`
			Clocks []store.SLAClock `json:"clocks"`
		}
		e.do("alice", "GET", "/api/v1/tickets/"+strings.ToLower(tk.Number)+"/sla", nil).want(t, http.StatusOK, &got)
		if got.Ticket != tk.Number {
			t.Errorf("ticket = %q, want %q", got.Ticket, tk.Number)
		}
		// Major (no target of its own for prod): take charge 2 h, work around 1 day, resolve 5
		// days; warned at 40 % of each. One business hour has run.
		const cal = "France — jours ouvrés"
		want := []store.SLAClock{
			{Clock: "take_charge", TargetSeconds: i64(7200), Deadline: str("2027-03-01T10:00:00.000Z"), WarnAt: str("2027-03-01T08:48:00.000Z"),
				ElapsedSeconds: 3600, RemainingSeconds: i64(3600), State: "at_risk", Running: true, Calendar: cal},
			{Clock: "workaround", TargetSeconds: i64(27000), Deadline: str("2027-03-01T17:00:00.000Z"), WarnAt: str("2027-03-01T11:00:00.000Z"),
				ElapsedSeconds: 3600, RemainingSeconds: i64(23400), State: "ok", Running: true, Calendar: cal},
			{Clock: "resolve", TargetSeconds: i64(135000), Deadline: str("2027-03-05T17:00:00.000Z"), WarnAt: str("2027-03-02T17:00:00.000Z"),
				ElapsedSeconds: 3600, RemainingSeconds: i64(131400), State: "ok", Running: true, Calendar: cal},
		}
		if !reflect.DeepEqual(got.Clocks, want) {
			t.Errorf("clocks\n got %s\nwant %s", show(got.Clocks), show(want))
		}
		// The same as the store's view with the same options; the default warning share (75 %)
		// would say the take-charge clock is still fine.
		fromStore, err := db.TicketSLA(system, tk.Number, opt)
		must(t, err)
		if !reflect.DeepEqual(got.Clocks, fromStore) {
			t.Errorf("the API shows\n%s\nthe store says\n%s", show(got.Clocks), show(fromStore))
		}
		if def, _ := db.TicketSLA(system, tk.Number, store.SLAOptions{}); def[0].State != "ok" {
			t.Errorf("with the default options, take charge is %s", def[0].State)
		}

		if n1 := e.sla("n1", tk.Number); n1["resolve"].ElapsedSeconds != 3600 {
			t.Errorf("staff view: %+v", n1)
		}
		e.do("bob", "GET", "/api/v1/tickets/"+tk.Number+"/sla", nil).problem(t, http.StatusNotFound, "")
		e.do("n1", "GET", "/api/v1/tickets/OPS-9999/sla", nil).problem(t, http.StatusNotFound, "")
		e.do("", "GET", "/api/v1/tickets/"+tk.Number+"/sla", nil).problem(t, http.StatusUnauthorized, "")
	})
}

// show writes clocks with their pointers followed, for failure messages.
func show(cs []store.SLAClock) string {
	p := func(v any) string {
		switch v := v.(type) {
		case *string:
			if v != nil {
				return *v
			}
		case *int64:
			if v != nil {
				return fmt.Sprint(*v)
			}
		}
		return "null"
	}
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s target=%s deadline=%s warn=%s elapsed=%d remaining=%s paused=%d state=%s running=%t stopped=%t stopped_at=%s calendar=%s\n",
			c.Clock, p(c.TargetSeconds), p(c.Deadline), p(c.WarnAt), c.ElapsedSeconds, p(c.RemainingSeconds), c.PausedSeconds, c.State,
			c.Running, c.Stopped, p(c.StoppedAt), c.Calendar)
	}
	return b.String()
}

func TestRecordWorkaround(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		clk := freeze(t, db, "2027-03-01 09:00")
		tk := e.file("alice", map[string]any{"severity": "major"})
		path := "/api/v1/tickets/" + tk.Number + "/workaround"
		clk.set(t, "2027-03-01 09:30")
		wa := e.sla("n1", tk.Number)["workaround"]
		if !wa.Running || wa.Stopped || wa.StoppedAt != nil || wa.State != "ok" || wa.Deadline == nil || *wa.Deadline != "2027-03-01T17:00:00.000Z" {
			t.Fatalf("work-around clock before: %s", show([]store.SLAClock{wa}))
		}

		clk.set(t, "2027-03-01 10:00")
		e.do("alice", "POST", path, map[string]any{"text": "reboot"}).problem(t, http.StatusForbidden, "")
		e.do("bob", "POST", path, map[string]any{"text": "reboot"}).problem(t, http.StatusNotFound, "")
		e.do("n1", "POST", path, map[string]any{"text": "   "}).problem(t, http.StatusUnprocessableEntity, "text")
		e.do("n1", "POST", path, map[string]any{"workaround": "reboot"}).problem(t, http.StatusBadRequest, "workaround")
		e.do("n1", "POST", path, `{"text": 12}`).problem(t, http.StatusBadRequest, "text")

		var m apijson.Message
		e.do("n1", "POST", path, map[string]any{"text": "exporter en CSV"}).want(t, http.StatusCreated, &m)
		// ACME speaks French; the customer applies the workaround, so it is a public message.
		if m.Body != "Contournement : exporter en CSV" || m.Internal || m.Number != tk.Number || m.ID == 0 ||
			m.CreatedAt != "2027-03-01T09:00:00.000Z" {
			t.Errorf("message = %+v", m)
		}
		var msgs struct{ Items []apijson.Message }
		e.do("alice", "GET", "/api/v1/tickets/"+tk.Number+"/messages", nil).want(t, http.StatusOK, &msgs)
		if len(msgs.Items) == 0 || msgs.Items[len(msgs.Items)-1].ID != m.ID {
			t.Errorf("the customer does not see the workaround: %+v", msgs.Items)
		}
		var hist struct {
			Items []struct {
				Kind      string `json:"kind"`
				MessageID int64  `json:"message_id"`
			}
		}
		e.do("n1", "GET", "/api/v1/tickets/"+tk.Number+"/history", nil).want(t, http.StatusOK, &hist)
		if !slices.ContainsFunc(hist.Items, func(h struct {
			Kind      string `json:"kind"`
			MessageID int64  `json:"message_id"`
		}) bool {
			return h.Kind == "workaround" && h.MessageID == m.ID
		}) {
			t.Errorf("no workaround line in the history: %+v", hist.Items)
		}

		// An hour later the work-around clock still says 1 h: it stopped, met, at 10:00 Paris.
		// Being the team's first public answer, it also took the ticket in charge.
		clk.set(t, "2027-03-01 11:00")
		after := e.sla("alice", tk.Number)
		wa = after["workaround"]
		if wa.Running || !wa.Stopped || wa.StoppedAt == nil || *wa.StoppedAt != "2027-03-01T09:00:00.000Z" || wa.ElapsedSeconds != 3600 ||
			wa.Deadline != nil || wa.RemainingSeconds == nil || *wa.RemainingSeconds != 23400 || wa.State == "breached" {
			t.Errorf("work-around clock after: %s", show([]store.SLAClock{wa}))
		}
		if tc := after["take_charge"]; !tc.Stopped || tc.ElapsedSeconds != 3600 {
			t.Errorf("take-charge clock after: %s", show([]store.SLAClock{tc}))
		}
		if rs := after["resolve"]; !rs.Running || rs.Stopped || rs.ElapsedSeconds != 7200 {
			t.Errorf("resolve clock after: %s", show([]store.SLAClock{rs}))
		}
		var got apijson.Ticket
		e.do("alice", "GET", "/api/v1/tickets/"+tk.Number, nil).want(t, http.StatusOK, &got)
		if got.Status != "open" || got.TakenAt == nil || *got.TakenAt != "2027-03-01T09:00:00.000Z" {
			t.Errorf("ticket after the workaround: status %s, taken %v", got.Status, got.TakenAt)
		}

		// A second workaround is recorded, but the clock stays stopped at the first.
		e.do("n1", "POST", path, map[string]any{"text": "mieux : patch 2.1"}).want(t, http.StatusCreated, nil)
		if wa := e.sla("n1", tk.Number)["workaround"]; *wa.StoppedAt != "2027-03-01T09:00:00.000Z" || wa.ElapsedSeconds != 3600 {
			t.Errorf("after a second workaround: %s", show([]store.SLAClock{wa}))
		}
		e.do("n1", "PATCH", "/api/v1/tickets/"+tk.Number, map[string]any{"status": "resolved", "resolution": "Patched.", "cause": "defect", "draft_article": true}).want(t, http.StatusOK, nil)
		e.do("n1", "POST", path, map[string]any{"text": "late"}).problem(t, http.StatusConflict, "status")
	})
}

// TestNextDeadline: the ticket shows its nearest running deadline, and the list sorts and pages
// by it, tickets without one last.
func TestNextDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		freeze(t, db, "2027-03-01 09:00")
		// The take-charge clock is the nearest of each: blocking in prod 1 h, major 2 h, minor
		// 4 h (09:00–12:30 then 14:00–14:30), question 1 day (18:00).
		a1 := e.file("alice", map[string]any{"severity": "blocking", "environment": "prod", "impact": "nobody can work"}).Number
		b1 := e.file("bob", map[string]any{"severity": "minor"}).Number
		a2 := e.file("alice", map[string]any{"severity": "question"}).Number
		b2 := e.file("bob", map[string]any{"severity": "major"}).Number
		a3 := e.file("alice", map[string]any{"severity": "minor"}).Number
		a4 := e.file("alice", map[string]any{"severity": "minor"}).Number
		// a4 is taken and waits for the customer: its clocks are stopped or paused.
		e.do("n1", "POST", "/api/v1/tickets/"+a4+"/take", nil).want(t, http.StatusOK, nil)
		e.do("n1", "PATCH", "/api/v1/tickets/"+a4, map[string]any{"status": "waiting_customer"}).want(t, http.StatusOK, nil)
		e.refresh(a1, b1, a2, b2, a3, a4)

		want := map[string]*string{
			a1: str("2027-03-01T09:00:00.000Z"),
			b2: str("2027-03-01T10:00:00.000Z"),
			b1: str("2027-03-01T13:30:00.000Z"),
			a3: str("2027-03-01T13:30:00.000Z"),
			a2: str("2027-03-01T17:00:00.000Z"),
			a4: nil,
		}
		deadline := func(s *string) string {
			if s == nil {
				return "null"
			}
			return *s
		}
		for n, d := range want {
			var tk apijson.Ticket
			e.do("n1", "GET", "/api/v1/tickets/"+n, nil).want(t, http.StatusOK, &tk)
			if deadline(tk.NextDeadline) != deadline(d) {
				t.Errorf("%s next_deadline = %s, want %s", n, deadline(tk.NextDeadline), deadline(d))
			}
		}
		var all page
		e.do("n1", "GET", "/api/v1/tickets?sort=deadline&limit=200", nil).want(t, http.StatusOK, &all)
		for _, tk := range all.Items {
			if deadline(tk.NextDeadline) != deadline(want[tk.Number]) {
				t.Errorf("listed %s with next_deadline %s, want %s", tk.Number, deadline(tk.NextDeadline), deadline(want[tk.Number]))
			}
		}

		// Nearest first; equal deadlines by number; none last.
		order := []string{a1, b2, b1, a3, a2, a4}
		if got, pages := e.walk("n1", "limit=2&sort=deadline"); !slices.Equal(got, order) || pages != 3 {
			t.Errorf("sort=deadline in pages of 2: %v (%d pages), want %v", got, pages, order)
		}
		rev := slices.Clone(order)
		slices.Reverse(rev)
		if got, _ := e.walk("n1", "limit=4&sort=-deadline"); !slices.Equal(got, rev) {
			t.Errorf("sort=-deadline: %v, want %v", got, rev)
		}
		if got, _ := e.walk("alice", "limit=1&sort=deadline"); !slices.Equal(got, []string{a1, a3, a2, a4}) {
			t.Errorf("alice, sort=deadline: %v", got)
		}
		if got, _ := e.walk("n1", "limit=2&sort=deadline&severity=minor"); !slices.Equal(got, []string{b1, a3, a4}) {
			t.Errorf("minor tickets, sort=deadline: %v", got)
		}
		e.do("n1", "GET", "/api/v1/tickets?sort=due", nil).problem(t, http.StatusUnprocessableEntity, "sort")
	})
}

// TestOpenAPISLA checks what the generic document test cannot: the calendar routes speak the
// calendar's JSON form, the report may answer CSV, tickets show and sort by their next deadline.
func TestOpenAPISLA(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var doc struct {
			Paths      map[string]map[string]map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]struct {
					Properties           map[string]any `json:"properties"`
					Required             []string       `json:"required"`
					AdditionalProperties *bool          `json:"additionalProperties"`
				} `json:"schemas"`
			} `json:"components"`
		}
		e.do("", "GET", "/api/v1/openapi.json", nil).want(t, http.StatusOK, &doc)
		ref := func(v any, path ...string) any {
			for _, p := range path {
				m, ok := v.(map[string]any)
				if !ok {
					return nil
				}
				v = m[p]
			}
			return v
		}
		form := "#/components/schemas/CalendarForm"
		for _, c := range []struct {
			path, method string
			at           []string
		}{
			{"/api/v1/calendars", "post", []string{"requestBody", "content", "application/json", "schema", "$ref"}},
			{"/api/v1/calendars/{id}", "put", []string{"requestBody", "content", "application/json", "schema", "$ref"}},
			{"/api/v1/calendars/{id}", "get", []string{"responses", "200", "content", "application/json", "schema", "$ref"}},
		} {
			if got := ref(map[string]any(doc.Paths[c.path][c.method]), c.at...); got != form {
				t.Errorf("%s %s: %v, want %s", c.method, c.path, got, form)
			}
		}
		if ref(map[string]any(doc.Paths["/api/v1/reports/sla"]["get"]), "responses", "200", "content", "text/csv") == nil {
			t.Error("the report does not say it answers text/csv")
		}
		cf := doc.Components.Schemas["CalendarForm"]
		if cf.AdditionalProperties == nil || *cf.AdditionalProperties || !slices.Equal(cf.Required, []string{"timezone"}) ||
			len(cf.Properties) != 6 {
			t.Errorf("CalendarForm: %+v", cf)
		}
		if _, ok := doc.Components.Schemas["Ticket"].Properties["next_deadline"]; !ok {
			t.Error("Ticket has no next_deadline")
		}
		for _, name := range []string{"SlaClock", "TicketClocks", "ContractSLA", "ContractSLAUpdate", "SlaReport", "CalendarInfo"} {
			if _, ok := doc.Components.Schemas[name]; !ok {
				t.Errorf("schema %s is missing", name)
			}
		}
		for _, p := range doc.Paths["/api/v1/tickets"]["get"]["parameters"].([]any) {
			if p := p.(map[string]any); p["name"] == "sort" && !strings.Contains(p["description"].(string), "deadline") {
				t.Errorf("the sort parameter does not offer deadline: %v", p["description"])
			}
		}
	})
}
