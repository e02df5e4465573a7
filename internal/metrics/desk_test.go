package metrics_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/metrics"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// scrape reads /metrics through the registry's HTTP handler, as Prometheus does, and returns
// the desk's series as "name{k=v,…}" → value, labels sorted.
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]float64{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if !strings.HasPrefix(line, "opsdesk_tickets_open") && !strings.HasPrefix(line, "opsdesk_sla_clocks_breached") &&
			!strings.HasPrefix(line, "opsdesk_capa_actions_open") && !strings.HasPrefix(line, "opsdesk_project_tasks_overdue") &&
			!strings.HasPrefix(line, "opsdesk_desk_gauges_up") {
			continue
		}
		series, value, _ := strings.Cut(line, " ")
		name, rest, _ := strings.Cut(series, "{")
		var ls []string
		for _, l := range strings.Split(strings.TrimSuffix(rest, "}"), ",") {
			if l != "" {
				ls = append(ls, strings.ReplaceAll(l, `"`, ""))
			}
		}
		sort.Strings(ls)
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		out[name+"{"+strings.Join(ls, ",")+"}"] = v
	}
	return out
}

// TestDeskGauges seeds a desk through the store under an injected clock (French calendar,
// default targets) and compares a scrape with counts worked out from the story:
//
//	T0 minor   ACME  Sun 10 Jan 09:00, taken Mon 11 Jan 09:00, still open: resolve (10 business
//	           days) exceeded in late January; older than 30 days.
//	T1 minor   ACME  Mon 1 Mar 09:00, never taken: take charge (4 h) exceeded Mon 14:30.
//	T2 major   ACME  Mon 1 Mar 09:00, taken 09:30: work around (7.5 h) exceeded Mon 18:00.
//	T3 minor   ACME  Mon 1 Mar 09:00, taken 10:00, resolved 11:00: not open.
//	T4 major   GLOBEX Tue 2 Mar 09:00, taken 09:10, waiting for the customer from 09:30: paused.
//
// at Tue 2 March 2027 12:00 (Paris). The levels come from the store's own routing, read back
// per ticket.
func TestDeskGauges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		paris, _ := time.LoadLocation("Europe/Paris")
		at := func(s string) time.Time {
			v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		now := at("2027-01-10 09:00")
		db.Now = func() time.Time { return now }
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(nil, db.SeedDefaults(admin))
		must(nil, db.SeedSLADefaults(admin))
		acme := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
		globex := &opsdesk.Customer{Code: "GLOBEX", Name: "Globex", Domains: []string{"globex.example"}}
		must(nil, db.CreateCustomer(admin, acme))
		must(nil, db.CreateCustomer(admin, globex))
		agent := &opsdesk.User{Email: "n1@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1}
		pm := &opsdesk.User{Email: "pm@vendor.example", Role: opsdesk.RoleProjectManager}
		ops := &opsdesk.User{Email: "ops@vendor.example", Role: opsdesk.RoleOpsManager}
		for _, u := range []*opsdesk.User{agent, pm, ops} {
			must(nil, db.CreateUser(admin, u, ""))
		}
		as := func(u *opsdesk.User) context.Context {
			return opsdesk.WithActor(context.Background(), opsdesk.ActorOf(u))
		}
		var keys []string
		file := func(when string, cu *opsdesk.Customer, severity string) string {
			now = at(when)
			tk, err := db.CreateTicket(admin, &opsdesk.NewTicket{CustomerID: cu.ID, RequesterEmail: "someone@" + cu.Domains[0],
				Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d"})
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, tk.Key)
			return tk.Key
		}
		take := func(when, key string) { now = at(when); must(db.Take(as(agent), key)) }
		status := func(when, key string, st opsdesk.Status) {
			now = at(when)
			p := opsdesk.TicketPatch{Status: &st}
			if st == opsdesk.StatusResolved {
				p.Resolution = &opsdesk.Resolution{Summary: "Fixed", Cause: "defect"}
			}
			must(db.UpdateTicket(as(agent), key, p))
		}
		t0 := file("2027-01-10 09:00", acme, "minor")
		take("2027-01-11 09:00", t0)
		t1 := file("2027-03-01 09:00", acme, "minor")
		t2 := file("2027-03-01 09:00", acme, "major")
		t3 := file("2027-03-01 09:00", acme, "minor")
		take("2027-03-01 09:30", t2)
		take("2027-03-01 10:00", t3)
		status("2027-03-01 11:00", t3, opsdesk.StatusResolved)
		t4 := file("2027-03-02 09:00", globex, "major")
		take("2027-03-02 09:10", t4)
		status("2027-03-02 09:30", t4, opsdesk.StatusWaitingCustomer)

		// CAPA: two open, one in progress, one done.
		for i, to := range []opsdesk.ActionStatus{opsdesk.ActionOpen, opsdesk.ActionOpen, opsdesk.ActionInProgress, opsdesk.ActionDone} {
			a := &opsdesk.Action{Kind: opsdesk.ActionPreventive, Title: fmt.Sprint("action ", i), Source: opsdesk.SourceManual}
			must(nil, db.CreateAction(as(ops), a))
			if to != opsdesk.ActionOpen {
				must(db.MoveAction(as(ops), a.ID, opsdesk.ActionInProgress, ""))
			}
			if to == opsdesk.ActionDone {
				must(db.MoveAction(as(ops), a.ID, opsdesk.ActionDone, "done"))
			}
		}
		// Project tasks: open project — overdue todo, overdue in progress, overdue done, due later,
		// no due day; closed project — overdue todo.
		now = at("2027-02-01 09:00")
		day := opsdesk.Day(at("2027-03-02 12:00"))
		project := func(name string) (int64, string) {
			p := &opsdesk.Project{CustomerID: acme.ID, Name: name, ManagerID: pm.ID, StartOn: opsdesk.Day(now)}
			must(nil, db.CreateProject(as(pm), p, ""))
			phases, err := db.Phases(as(pm), p.ID)
			if err != nil || len(phases) == 0 {
				t.Fatalf("phases: %v %v", phases, err)
			}
			return p.ID, phases[0].Code
		}
		open, phase := project("Open")
		closed, cphase := project("Closed")
		task := func(pid int64, phase string, due time.Time, st opsdesk.TaskStatus) {
			tk := &opsdesk.Task{ProjectID: pid, PhaseCode: phase, Title: "task", DueOn: due, Status: opsdesk.TaskTodo}
			must(nil, db.SaveTask(as(pm), tk))
			if st != opsdesk.TaskTodo {
				must(db.SetTaskStatus(as(pm), pid, tk.ID, st))
			}
		}
		task(open, phase, day.AddDate(0, 0, -3), opsdesk.TaskTodo)
		task(open, phase, day.AddDate(0, 0, -1), opsdesk.TaskInProgress)
		task(open, phase, day.AddDate(0, 0, -2), opsdesk.TaskDone)
		task(open, phase, day, opsdesk.TaskTodo) // due today: not yet overdue
		task(open, phase, day.AddDate(0, 0, 5), opsdesk.TaskTodo)
		task(open, phase, time.Time{}, opsdesk.TaskTodo)
		task(closed, cphase, day.AddDate(0, 0, -3), opsdesk.TaskTodo)
		must(nil, db.SetProjectClosed(as(pm), closed, true, "over"))

		now = at("2027-03-02 12:00")
		for _, k := range keys {
			tk, err := db.TicketByKey(admin, k)
			if err != nil {
				t.Fatal(err)
			}
			must(db.RefreshTicketClocks(admin, tk.ID, store.SLAOptions{}))
		}

		want := map[string]float64{
			"opsdesk_desk_gauges_up{}":                       1,
			"opsdesk_tickets_open_by_age{age=under_day}":     1, // T4
			"opsdesk_tickets_open_by_age{age=under_week}":    2, // T1, T2
			"opsdesk_tickets_open_by_age{age=under_month}":   0,
			"opsdesk_tickets_open_by_age{age=older}":         1, // T0
			"opsdesk_sla_clocks_breached{clock=take_charge}": 1, // T1
			"opsdesk_sla_clocks_breached{clock=workaround}":  1, // T2
			"opsdesk_sla_clocks_breached{clock=resolve}":     1, // T0
			"opsdesk_capa_actions_open{status=proposed}":     0,
			"opsdesk_capa_actions_open{status=open}":         2,
			"opsdesk_capa_actions_open{status=in_progress}":  1,
			"opsdesk_project_tasks_overdue{}":                2,
		}
		for _, k := range []string{t0, t1, t2, t4} { // the open ones
			tk, err := db.TicketByKey(admin, k)
			if err != nil {
				t.Fatal(err)
			}
			want[fmt.Sprintf("opsdesk_tickets_open{level=%s,severity=%s}", tk.Level, tk.Severity)]++
		}
		cacheNow := time.Unix(0, 0)
		m := metrics.New(nil)
		m.RegisterDesk(db, metrics.DeskOptions{TTL: 30 * time.Second, Now: func() time.Time { return cacheNow }})
		got := scrape(t, m)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("scrape:\n got %v\nwant %v", got, want)
		}

		// Within the TTL a new ticket does not show; after it, it does.
		file("2027-03-02 12:00", globex, "minor")
		if got := scrape(t, m)["opsdesk_tickets_open_by_age{age=under_day}"]; got != 1 {
			t.Errorf("within the TTL: under_day %v, want the cached 1", got)
		}
		cacheNow = cacheNow.Add(31 * time.Second)
		if got := scrape(t, m)["opsdesk_tickets_open_by_age{age=under_day}"]; got != 2 {
			t.Errorf("after the TTL: under_day %v, want 2", got)
		}
	})
}
