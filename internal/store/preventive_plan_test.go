package store_test

import (
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestPreventiveInPlan: the open occurrences are plan items (ref PV-n, score terms on the
// business hours to the end of the due day) and load the capacity plan in their due day's week;
// a done occurrence leaves the plan.
func TestPreventiveInPlan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		f.now = local(t, "2027-03-01 09:00") // a Monday
		// Monthly from Wednesday 10 March; 10 April is a Saturday: Monday 12 April.
		s := &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveAudit, Title: "Security audit", Every: 1,
			Unit: opsdesk.UnitMonths, FirstDay: "2027-03-10", EstimateHours: 4, Level: opsdesk.LevelN2, AssigneeID: f.n2.ID}
		if err := db.CreatePreventiveSchedule(as(f.ops), s); err != nil {
			t.Fatal(err)
		}
		_, occ := tasksOf(t, db, s.ID)
		if len(occ) != 2 || occ[0].DueDay != "2027-03-10" || occ[1].DueDay != "2027-04-12" {
			t.Fatalf("occurrences = %v", occ)
		}
		v, err := db.Plan(as(f.agent), f.now, plan.Filter{Domain: "audit"})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Rows) != 2 {
			t.Fatalf("plan rows for audits = %d, want 2", len(v.Rows))
		}
		first := v.Rows[0]
		// Monday 1 to Wednesday 10 March: 8 business days × 7 h 30 = 60 h, within 80 h.
		if first.Item.Kind != plan.KindPreventive || first.Item.Ref != store.PreventiveRef(occ[0].ID) ||
			first.Item.Ref != "PV-"+itoa(occ[0].ID) || first.Item.Assignee != f.n2.ID || first.Score != 60+80 {
			t.Fatalf("first row = %+v score %d", first.Item, first.Score)
		}
		if tm := first.Terms; len(tm) != 3 || tm[0].Name != "preventive" || tm[0].Value != "audit" ||
			tm[1].Name != "deadline" || tm[1].Value != "60h" || tm[1].Reason != "plan.reason.deadline_soon" {
			t.Fatalf("terms = %+v", tm)
		}
		if v.Rows[1].Score != 60 || v.Rows[1].Terms[1].Reason != "plan.reason.deadline_far" {
			t.Fatalf("second row = %d %+v", v.Rows[1].Score, v.Rows[1].Terms)
		}
		// Capacity: 240 minutes in the week of 8 March (week 1) and of 12 April (week 6).
		var n2 *plan.Line
		for i := range v.Capacity.Agents {
			if v.Capacity.Agents[i].AgentID == f.n2.ID {
				n2 = &v.Capacity.Agents[i]
			}
		}
		if n2 == nil || n2.Weeks[1].Assigned != 240 || n2.Weeks[6].Assigned != 240 || n2.Total.Assigned != 480 {
			t.Fatalf("N2 agent line = %+v", n2)
		}

		if _, err := db.MovePreventiveTask(as(f.n2), occ[0].ID, opsdesk.PreventiveDone, ""); err != nil {
			t.Fatal(err)
		}
		v, err = db.Plan(as(f.agent), f.now, plan.Filter{Domain: "audit"})
		if err != nil || len(v.Rows) != 1 || v.Rows[0].Item.ID != occ[1].ID {
			t.Fatalf("after done: %d rows, %v", len(v.Rows), err)
		}
	})
}
