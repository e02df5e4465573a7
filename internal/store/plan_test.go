package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// planFixture files three tickets on Monday 1 March 2027 at 09:00 (Paris) and stores their
// clocks: a blocking ticket on ACME's production, a minor one without environment, a question.
type planFixture struct {
	*slaFixture
	blocking, minor, question *opsdesk.Ticket
}

func newPlanFixture(t *testing.T, db *store.DB) *planFixture {
	t.Helper()
	f := &planFixture{slaFixture: newSLAFixture(t, db)}
	f.now = local(t, "2027-03-01 09:00")
	mk := func(severity string, env int64, u *opsdesk.User) *opsdesk.Ticket {
		return file(t, db, admin, opsdesk.NewTicket{CustomerID: u.CustomerID, RequesterEmail: u.Email, EnvironmentID: env,
			Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d", Import: true})
	}
	f.blocking = mk("blocking", f.acmeProd.ID, f.custA)
	f.minor = mk("minor", 0, f.custA)
	f.question = mk("question", 0, f.custB)
	for _, tk := range []*opsdesk.Ticket{f.blocking, f.minor, f.question} {
		if _, err := db.RefreshTicketClocks(admin, tk.ID, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *planFixture) rank(t *testing.T, db *store.DB, now time.Time) []plan.Row {
	t.Helper()
	items, err := db.PlanItems(as(f.ops), now)
	if err != nil {
		t.Fatal(err)
	}
	ovs, err := db.PlanOverrides(as(f.agent))
	if err != nil {
		t.Fatal(err)
	}
	w := plan.DefaultWeights()
	rows, err := plan.Rank(items, store.Overrides(ovs), &w, now)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func refs(rows []plan.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Item.Ref)
	}
	return out
}

func TestPlanItemsOrderAndExplanation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlanFixture(t, db)
		// 11:00: the blocking prod ticket's take-charge target (1 h) is past.
		now := local(t, "2027-03-01 11:00")
		items, err := db.PlanItems(as(f.agent), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 3 {
			t.Fatalf("items = %d, want 3", len(items))
		}
		var blk *plan.Item
		for i := range items {
			if items[i].ID == f.blocking.ID {
				blk = &items[i]
			}
		}
		if blk == nil || blk.Ref != f.blocking.Key || blk.Ticket.Env != opsdesk.EnvProd || blk.Ticket.SeverityRank != 1 ||
			!blk.Ticket.HasSLA || blk.Ticket.SLATarget != time.Hour || blk.Ticket.SLALeft != -time.Hour || blk.Customer != f.acme.ID {
			t.Fatalf("blocking item = %+v %+v", blk, blk.Ticket)
		}
		rows := f.rank(t, db, now)
		if rows[0].Item.ID != f.blocking.ID {
			t.Fatalf("first = %s, want the breached blocking prod ticket %s", rows[0].Item.Ref, f.blocking.Key)
		}
		var names []string
		for _, term := range rows[0].Terms {
			names = append(names, term.Name)
		}
		for _, want := range []string{"severity_env", "sla", "blocking_prod_at_risk"} {
			if !slices.Contains(names, want) {
				t.Errorf("terms %v lack %s", names, want)
			}
		}
		if rows[1].Item.ID != f.minor.ID || rows[2].Item.ID != f.question.ID {
			t.Errorf("order = %v, want blocking, minor, question", refs(rows))
		}
	})
}

func TestPlanReadersAndWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlanFixture(t, db)
		now := local(t, "2027-03-01 11:00")
		_, err := db.PlanItems(as(f.custA), now)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.PlanOverrides(as(f.custA))
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.PlanAgents(as(f.custB))
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.PlanHandling(as(f.custB), now)
		wantKind(t, err, opsdesk.KindForbidden)
		pin := plan.Override{Kind: plan.KindTicket, ID: f.question.ID, Pin: true, Reason: "customer escalation"}
		_, err = db.AddPlanOverride(as(f.agent), pin)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.AddPlanOverride(as(f.custA), pin)
		wantKind(t, err, opsdesk.KindForbidden)
		wantKind(t, db.SetAgentCapacity(as(f.agent), f.agent.ID, 2100, 100), opsdesk.KindForbidden)
		_, err = db.AddAgentAbsence(as(f.custA), f.agent.ID, "2027-03-01", "2027-03-02", "leave")
		wantKind(t, err, opsdesk.KindForbidden)
	})
}

func TestPlanOverridesHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlanFixture(t, db)
		now := local(t, "2027-03-01 11:00")
		_, err := db.AddPlanOverride(as(f.ops), plan.Override{Kind: plan.KindTicket, ID: f.question.ID, Pin: true})
		wantKind(t, err, opsdesk.KindInvalid)
		first, err := db.AddPlanOverride(as(f.ops), plan.Override{Kind: plan.KindTicket, ID: f.question.ID, Pin: true, Reason: "escalation"})
		if err != nil {
			t.Fatal(err)
		}
		rows := f.rank(t, db, now)
		if rows[0].Item.ID != f.question.ID || rows[0].Override == nil || rows[0].Override.Reason != "escalation" || rows[0].Override.By != f.ops.Email {
			t.Fatalf("pinned: order %v, override %+v", refs(rows), rows[0].Override)
		}
		// A move of the same item supersedes the pin; the pin stays in the history.
		moved, err := db.AddPlanOverride(as(f.adm), plan.Override{Kind: plan.KindTicket, ID: f.question.ID, Position: 2, Reason: "after the outage"})
		if err != nil {
			t.Fatal(err)
		}
		if got := refs(f.rank(t, db, now)); !slices.Equal(got, []string{f.blocking.Key, f.question.Key, f.minor.Key}) {
			t.Errorf("moved: order %v", got)
		}
		cur, err := db.PlanOverrides(as(f.ops))
		if err != nil || len(cur) != 1 || cur[0].ID != moved.ID {
			t.Fatalf("current = %+v, %v", cur, err)
		}
		hist, err := db.PlanOverrideHistory(as(f.agent))
		if err != nil || len(hist) != 2 || hist[1].ID != first.ID || hist[1].SupersededAt.IsZero() || hist[1].SupersededBy != f.adm.Email ||
			!hist[0].SupersededAt.IsZero() || hist[1].Override.Reason != "escalation" {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if err := db.RemovePlanOverride(as(f.ops), moved.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.RemovePlanOverride(as(f.ops), moved.ID), opsdesk.KindNotFound)
		wantKind(t, db.RemovePlanOverride(as(f.agent), first.ID), opsdesk.KindForbidden)
		if got := refs(f.rank(t, db, now)); !slices.Equal(got, []string{f.blocking.Key, f.minor.Key, f.question.Key}) {
			t.Errorf("removed: order %v", got)
		}
		if hist, _ := db.PlanOverrideHistory(as(f.ops)); len(hist) != 2 {
			t.Errorf("history after removal = %d rows, want 2", len(hist))
		}
	})
}

func TestPlanCapacitySettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		agents, err := db.PlanAgents(as(f.agent))
		if err != nil || len(agents) != 1 || agents[0].Agent.ID != f.agent.ID || agents[0].Set ||
			agents[0].Agent.WeeklyMinutes != store.DefaultWeeklyMinutes || agents[0].Agent.Percent != 100 {
			t.Fatalf("agents = %+v, %v", agents, err)
		}
		for _, c := range []struct {
			weekly, pct int64
			field       string
		}{{0, 100, "weekly_minutes"}, {2100, 0, "percent"}, {2100, 101, "percent"}} {
			err := db.SetAgentCapacity(as(f.ops), f.agent.ID, c.weekly, c.pct)
			wantKind(t, err, opsdesk.KindInvalid)
			if opsdesk.ErrorField(err) != c.field {
				t.Errorf("%+v: field %q, want %q", c, opsdesk.ErrorField(err), c.field)
			}
		}
		wantKind(t, db.SetAgentCapacity(as(f.ops), f.custA.ID, 2100, 100), opsdesk.KindInvalid)
		if err := db.SetAgentCapacity(as(f.ops), f.agent.ID, 2100, 50); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][3]string{{"2027-01-07", "x", "to"}, {"2027-01-07", "2027-01-06", "to"}, {"7 Jan", "2027-01-12", "from"}, {"2027-01-07", "2027-01-12", "reason"}} {
			reason := "leave"
			if c[2] == "reason" {
				reason = " "
			}
			_, err := db.AddAgentAbsence(as(f.ops), f.agent.ID, c[0], c[1], reason)
			if opsdesk.ErrorField(err) != c[2] {
				t.Errorf("%v: %v, want field %s", c, err, c[2])
			}
		}
		ab, err := db.AddAgentAbsence(as(f.adm), f.agent.ID, "2027-01-07", "2027-01-12", "holiday")
		if err != nil {
			t.Fatal(err)
		}
		agents, err = db.PlanAgents(as(f.agent))
		if err != nil {
			t.Fatal(err)
		}
		a := agents[0]
		if !a.Set || a.Agent.WeeklyMinutes != 2100 || a.Agent.Percent != 50 || len(a.Absences) != 1 || a.Absences[0].Reason != "holiday" ||
			len(a.Agent.Absences) != 1 || a.Agent.Absences[0].From.Format(time.DateOnly) != "2027-01-07" || a.Agent.Absences[0].To.Format(time.DateOnly) != "2027-01-12" {
			t.Fatalf("agent = %+v", a)
		}
		// The absence reduces the capacity plan: Ben's example of docs/plan.md, at 50 % of 35 h.
		cal, err := plan.FromSLA(sla.FrenchCalendar())
		if err != nil {
			t.Fatal(err)
		}
		p, err := plan.Capacity(plan.CapacityInput{Now: time.Date(2027, 1, 4, 8, 0, 0, 0, paris), Calendar: cal,
			Agents: []plan.Agent{a.Agent}, Weeks: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Agents[0].Weeks[0].Capacity; got != 630 {
			t.Errorf("capacity of the week of 4 January = %d, want 630", got)
		}
		if err := db.RemoveAgentAbsence(as(f.ops), ab.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.RemoveAgentAbsence(as(f.ops), ab.ID), opsdesk.KindNotFound)
	})
}

func TestPlanHandling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlanFixture(t, db)
		f.now = local(t, "2027-03-01 09:10")
		if _, err := db.Take(as(f.agent), f.minor.Key); err != nil {
			t.Fatal(err)
		}
		f.now = local(t, "2027-03-01 10:00")
		st := opsdesk.StatusResolved
		if _, err := db.UpdateTicket(as(f.agent), f.minor.Key, opsdesk.TicketPatch{Status: &st, Reason: "fixed", Resolution: resolutionFor(st)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RefreshTicketClocks(admin, f.minor.ID, store.SLAOptions{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.PlanHandling(as(f.ops), local(t, "2027-03-02 10:00"))
		if err != nil {
			t.Fatal(err)
		}
		tk, _ := db.TicketByKey(admin, f.minor.Key)
		want := map[plan.HandlingKey]int64{{SeverityRank: tk.SeverityRank, Level: tk.Level}: 60, {SeverityRank: tk.SeverityRank}: 60}
		if len(got) != len(want) || got[plan.HandlingKey{SeverityRank: tk.SeverityRank, Level: tk.Level}] != 60 || got[plan.HandlingKey{SeverityRank: tk.SeverityRank}] != 60 {
			t.Errorf("handling = %v, want %v", got, want)
		}
		// Past 90 days the ticket no longer counts.
		if got, _ := db.PlanHandling(as(f.ops), local(t, "2027-06-01 10:00")); len(got) != 0 {
			t.Errorf("handling after 90 days = %v", got)
		}
	})
}

// TestPlanItemsTasks checks the project tasks of the plan: their facts, and an overdue task of
// a critical, agreed project explained by its deadline and priority.
func TestPlanItemsTasks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		for _, u := range []*opsdesk.User{f.pm, f.ops} {
			if _, err := db.AgreePriority(as(u), f.globexProj.ID, opsdesk.PriorityCritical); err != nil {
				t.Fatal(err)
			}
		}
		late := &opsdesk.Task{ProjectID: f.globexProj.ID, PhaseCode: "framing", Title: "Cut-over", EstimateHours: 2.5,
			DueOn: f.start.AddDate(0, 0, -3), AssigneeID: f.agent.ID}
		if err := db.SaveTask(as(f.ops), late); err != nil {
			t.Fatal(err)
		}
		now := f.start.Add(12 * time.Hour)
		items, err := db.PlanItems(as(f.agent), now)
		if err != nil {
			t.Fatal(err)
		}
		var it *plan.Item
		for i := range items {
			if items[i].Kind == plan.KindTask && items[i].ID == late.ID {
				it = &items[i]
			}
		}
		if it == nil || it.Customer != f.globex.ID || it.Assignee != f.agent.ID || it.Task.Priority != opsdesk.PriorityCritical ||
			!it.Task.Agreed || it.Task.RemainingMinutes != 150 || it.Task.LeftHours >= 0 || !strings.Contains(it.Title, "Cut-over") {
			t.Fatalf("task item = %+v %+v", it, it.Task)
		}
		w := plan.DefaultWeights()
		rows, err := plan.Rank(items, nil, &w, now)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0].Item.ID != late.ID || rows[0].Item.Kind != plan.KindTask {
			t.Fatalf("first = %s, want the overdue critical task", rows[0].Item.Ref)
		}
		var reasons []string
		for _, term := range rows[0].Terms {
			reasons = append(reasons, term.Reason)
		}
		if !slices.Contains(reasons, "plan.reason.deadline_overdue") || !slices.Contains(reasons, "plan.reason.priority_agreed") {
			t.Errorf("reasons = %v", reasons)
		}
	})
}
