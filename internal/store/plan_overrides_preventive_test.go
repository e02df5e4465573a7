package store_test

import (
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// preventiveOccurrences schedules a monthly audit of ACME from Wednesday 10 March 2027 (the
// plan fixture's now is Monday 1 March) and returns its two occurrences, 10 March and 12 April.
func preventiveOccurrences(t *testing.T, db *store.DB, f *planFixture) []*opsdesk.PreventiveTask {
	t.Helper()
	s := &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveAudit, Title: "Security audit", CustomerID: f.acme.ID, Every: 1,
		Unit: opsdesk.UnitMonths, FirstDay: "2027-03-10", EstimateHours: 4, Level: opsdesk.LevelN2, AssigneeID: f.n2.ID}
	if err := db.CreatePreventiveSchedule(as(f.ops), s); err != nil {
		t.Fatal(err)
	}
	_, occ := tasksOf(t, db, s.ID)
	if len(occ) != 2 || occ[0].DueDay != "2027-03-10" || occ[1].DueDay != "2027-04-12" {
		t.Fatalf("occurrences = %v", occ)
	}
	return occ
}

// TestPlanOverridePreventive: the ops manager pins an occurrence of preventive work, then an
// admin moves it; the plan places it accordingly, each row carrying its override with its
// reason, and the history keeps both; once the move is removed, the score order is back.
func TestPlanOverridePreventive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlanFixture(t, db)
		occ := preventiveOccurrences(t, db, f)
		now := local(t, "2027-03-01 11:00")
		april := store.PreventiveRef(occ[1].ID)
		natural := refs(f.rank(t, db, now))
		// Scores: the breached blocking prod ticket 11,000; the March audit 60 + 80 (58 business
		// hours left); the minor ticket 60 + 50; the April audit 60 (nothing due soon); the
		// question 25 + 26.
		march := store.PreventiveRef(occ[0].ID)
		want := []string{f.blocking.Key, march, f.minor.Key, april, f.question.Key}
		if !slices.Equal(natural, want) {
			t.Fatalf("score order = %v, want %v", natural, want)
		}

		pin, err := db.AddPlanOverride(as(f.ops), plan.Override{Kind: plan.KindPreventive, ID: occ[1].ID, Pin: true, Reason: "customer audit window"})
		if err != nil {
			t.Fatal(err)
		}
		if pin.Override.Kind != plan.KindPreventive || pin.Override.ID != occ[1].ID || pin.Override.By != f.ops.Email {
			t.Fatalf("stored pin = %+v", pin)
		}
		v, err := db.Plan(as(f.agent), now, plan.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		first := v.Rows[0]
		if first.Item.Ref != april || first.Override == nil || first.Override.Reason != "customer audit window" {
			t.Fatalf("pinned: order %v, override %+v", refs(v.Rows), first.Override)
		}
		if o := v.OverrideOf(first); o == nil || o.ID != pin.ID {
			t.Fatalf("the pinned row's stored override = %+v, want %d", o, pin.ID)
		}

		moved, err := db.AddPlanOverride(as(f.adm), plan.Override{Kind: plan.KindPreventive, ID: occ[1].ID, Position: 2, Reason: "before the go-live"})
		if err != nil {
			t.Fatal(err)
		}
		rows := f.rank(t, db, now)
		if got := refs(rows); !slices.Equal(got, []string{f.blocking.Key, april, march, f.minor.Key, f.question.Key}) {
			t.Fatalf("moved: order %v", got)
		}
		if o := rows[1].Override; o == nil || o.Position != 2 || o.Pin || o.Reason != "before the go-live" || o.By != f.adm.Email {
			t.Fatalf("the moved row's override = %+v", o)
		}

		hist, err := db.PlanOverrideHistory(as(f.agent))
		if err != nil || len(hist) != 2 {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if h := hist[1]; h.ID != pin.ID || h.Override.Kind != plan.KindPreventive || h.Override.ID != occ[1].ID ||
			!h.Override.Pin || h.Override.Reason != "customer audit window" || h.SupersededAt.IsZero() || h.SupersededBy != f.adm.Email {
			t.Errorf("the pin in the history = %+v", h)
		}
		if h := hist[0]; h.ID != moved.ID || h.Override.Kind != plan.KindPreventive || h.Override.Position != 2 || !h.SupersededAt.IsZero() {
			t.Errorf("the move in the history = %+v", h)
		}

		if err := db.RemovePlanOverride(as(f.ops), moved.ID); err != nil {
			t.Fatal(err)
		}
		if got := refs(f.rank(t, db, now)); !slices.Equal(got, want) {
			t.Errorf("after removal: order %v, want %v", got, want)
		}
		if hist, _ := db.PlanOverrideHistory(as(f.ops)); len(hist) != 2 || hist[0].SupersededAt.IsZero() {
			t.Errorf("history after removal = %+v", hist)
		}
	})
}

// TestPlanOverrideItemMustBeOpen: an override names an item of the plan, whatever its kind: an
// unknown id is not found, a resolved ticket, a done task or a done or skipped occurrence is a
// conflict, and nothing is stored. An item that closes after it was pinned keeps its override,
// current in the history, and the plan ignores it: the same for a task and an occurrence.
func TestPlanOverrideItemMustBeOpen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newPlanFixture(t, db)
		occ := preventiveOccurrences(t, db, f)
		now := local(t, "2027-03-01 11:00")
		proj := &opsdesk.Project{CustomerID: f.acme.ID, Name: "Acme go-live", ManagerID: f.pm.ID, StartOn: opsdesk.Day(f.now)}
		if err := db.CreateProject(as(f.pm), proj, ""); err != nil {
			t.Fatal(err)
		}
		task := func(title string) *opsdesk.Task {
			t.Helper()
			tk := &opsdesk.Task{ProjectID: proj.ID, PhaseCode: "framing", Title: title, EstimateHours: 2}
			if err := db.SaveTask(as(f.ops), tk); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		doneTask, pinnedTask := task("done before"), task("done after")
		if _, err := db.SetTaskStatus(as(f.ops), proj.ID, doneTask.ID, opsdesk.TaskDone); err != nil {
			t.Fatal(err)
		}
		// The question is resolved; a third occurrence is skipped.
		for _, st := range []opsdesk.Status{opsdesk.StatusOpen, opsdesk.StatusResolved} {
			p := opsdesk.TicketPatch{Status: &st}
			if st == opsdesk.StatusResolved {
				p.Resolution = &opsdesk.Resolution{Summary: "Answered", Cause: "defect"}
			}
			if _, err := db.UpdateTicket(as(f.ops), f.question.Key, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.MovePreventiveTask(as(f.n2), occ[0].ID, opsdesk.PreventiveSkipped, "done with the yearly audit"); err != nil {
			t.Fatal(err)
		}

		refused := []struct {
			name string
			kind plan.Kind
			id   int64
			want opsdesk.Kind
		}{
			{"unknown ticket", plan.KindTicket, 999999, opsdesk.KindNotFound},
			{"unknown task", plan.KindTask, 999999, opsdesk.KindNotFound},
			{"unknown occurrence", plan.KindPreventive, 999999, opsdesk.KindNotFound},
			{"resolved ticket", plan.KindTicket, f.question.ID, opsdesk.KindConflict},
			{"done task", plan.KindTask, doneTask.ID, opsdesk.KindConflict},
			{"skipped occurrence", plan.KindPreventive, occ[0].ID, opsdesk.KindConflict},
			{"unknown kind", "problem", f.minor.ID, opsdesk.KindInvalid},
		}
		for _, r := range refused {
			_, err := db.AddPlanOverride(as(f.ops), plan.Override{Kind: r.kind, ID: r.id, Pin: true, Reason: r.name})
			if opsdesk.ErrorKind(err) != r.want {
				t.Errorf("%s: %v, want %s", r.name, err, r.want)
			}
			if r.want == opsdesk.KindConflict && opsdesk.ErrorField(err) != "id" {
				t.Errorf("%s: field %q, want id", r.name, opsdesk.ErrorField(err))
			}
		}
		if hist, err := db.PlanOverrideHistory(as(f.ops)); err != nil || len(hist) != 0 {
			t.Fatalf("refused overrides were stored: %+v, %v", hist, err)
		}

		// Pinned while open, then done: the override stays current, and is ignored.
		pins := map[plan.Kind]int64{plan.KindTask: pinnedTask.ID, plan.KindPreventive: occ[1].ID}
		for _, kind := range []plan.Kind{plan.KindTask, plan.KindPreventive} {
			if _, err := db.AddPlanOverride(as(f.ops), plan.Override{Kind: kind, ID: pins[kind], Pin: true, Reason: "urgent " + string(kind)}); err != nil {
				t.Fatal(err)
			}
		}
		if rows := f.rank(t, db, now); len(rows) < 2 || rows[0].Override == nil || rows[1].Override == nil {
			t.Fatalf("pinned: order %v", refs(rows))
		}
		if _, err := db.SetTaskStatus(as(f.ops), proj.ID, pinnedTask.ID, opsdesk.TaskDone); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MovePreventiveTask(as(f.n2), occ[1].ID, opsdesk.PreventiveDone, ""); err != nil {
			t.Fatal(err)
		}
		cur, err := db.PlanOverrides(as(f.agent))
		if err != nil || len(cur) != 2 {
			t.Fatalf("current overrides after done = %+v, %v; want both kept", cur, err)
		}
		rows := f.rank(t, db, now)
		for _, r := range rows {
			if r.Override != nil || r.Item.Kind != plan.KindTicket {
				t.Errorf("row %s after done: override %+v", r.Item.Ref, r.Override)
			}
		}
		if got := refs(rows); !slices.Equal(got, []string{f.blocking.Key, f.minor.Key}) {
			t.Errorf("after done: order %v", got)
		}
	})
}

// TestPlanOverrideKindsMigration: migration 0027 widens plan_overrides.item_kind (on SQLite by
// rebuilding the table) keeping every override with its id and fields, both indexes and the id
// counter (no id is given twice); the CHECK then takes preventive and still refuses an unknown
// kind.
func TestPlanOverrideKindsMigration(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			db, all, apply := migrationSteps(t, d)
			exec := func(q string, args ...any) error {
				_, err := db.SQL().Exec(db.Rebind(q), args...)
				return err
			}
			var kinds *store.Migration
			for i, m := range all {
				if m.Version < 27 {
					apply(m)
				} else if m.Version == 27 {
					kinds = &all[i]
				}
			}
			if kinds == nil || kinds.Name != "plan_override_kinds" {
				t.Fatalf("no migration 0027_plan_override_kinds")
			}
			if err := exec(`INSERT INTO plan_overrides (item_kind, item_id, pin, position, reason, created_label, created_at)
				VALUES ('preventive', 1, TRUE, 0, 'r', 'ops', 1)`); err == nil {
				t.Fatal("before 0027 a preventive override was accepted: the test proves nothing")
			}
			rows := []string{
				`('ticket', 11, TRUE, 0, 'escalation', 'ops@vendor.example', 1000, 2000, 'root@vendor.example')`,
				`('task', 12, FALSE, 3, 'after the go-live', 'root@vendor.example', 2000, NULL, '')`,
				`('ticket', 13, TRUE, 0, 'rolled back', 'ops@vendor.example', 3000, NULL, '')`,
			}
			for _, r := range rows {
				if err := exec(`INSERT INTO plan_overrides (item_kind, item_id, pin, position, reason, created_label, created_at,
					superseded_at, superseded_by) VALUES ` + r); err != nil {
					t.Fatal(err)
				}
			}
			ids := map[int64]int64{} // item id → override id
			rs, err := db.SQL().Query(`SELECT item_id, id FROM plan_overrides`)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var item, id int64
				if err := rs.Scan(&item, &id); err != nil {
					t.Fatal(err)
				}
				ids[item] = id
			}
			rs.Close()
			// The last override is deleted: its id was used, only the first two rows are left.
			if len(ids) != 3 || ids[13] <= ids[12] || ids[12] <= ids[11] {
				t.Fatalf("ids before 0027 = %v", ids)
			}
			if err := exec(`DELETE FROM plan_overrides WHERE item_id = 13`); err != nil {
				t.Fatal(err)
			}
			apply(*kinds)

			type row struct {
				id, item       int64
				kind, reason   string
				pin            bool
				position       int
				label, supBy   string
				at             int64
				supersededNull bool
			}
			var got []row
			rs, err = db.SQL().Query(`SELECT id, item_kind, item_id, pin, position, reason, created_label, created_at,
				superseded_at IS NULL, superseded_by FROM plan_overrides ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var r row
				if err := rs.Scan(&r.id, &r.kind, &r.item, &r.pin, &r.position, &r.reason, &r.label, &r.at, &r.supersededNull, &r.supBy); err != nil {
					t.Fatal(err)
				}
				got = append(got, r)
			}
			rs.Close()
			want := []row{
				{ids[11], 11, "ticket", "escalation", true, 0, "ops@vendor.example", "root@vendor.example", 1000, false},
				{ids[12], 12, "task", "after the go-live", false, 3, "root@vendor.example", "", 2000, true},
			}
			if !slices.Equal(got, want) {
				t.Fatalf("overrides after 0027 = %+v, want %+v", got, want)
			}

			var n int
			idx := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'plan_overrides'
				AND name IN ('plan_overrides_item', 'plan_overrides_current')`
			if d == store.Postgres {
				idx = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'plan_overrides'
					AND indexname IN ('plan_overrides_item', 'plan_overrides_current')`
			}
			if err := db.SQL().QueryRow(idx).Scan(&n); err != nil || n != 2 {
				t.Errorf("indexes after 0027: %d, %v; want 2", n, err)
			}

			if err := exec(`INSERT INTO plan_overrides (item_kind, item_id, pin, position, reason, created_label, created_at)
				VALUES ('preventive', 14, TRUE, 0, 'audit window', 'ops@vendor.example', 4000)`); err != nil {
				t.Fatalf("a preventive override after 0027: %v", err)
			}
			var id int64
			if err := db.SQL().QueryRow(`SELECT id FROM plan_overrides WHERE item_id = 14`).Scan(&id); err != nil || id <= ids[13] {
				t.Errorf("the next override's id = %d, %v; want more than %d, used before the migration", id, err, ids[13])
			}
			if err := exec(`INSERT INTO plan_overrides (item_kind, item_id, pin, position, reason, created_label, created_at)
				VALUES ('problem', 15, TRUE, 0, 'r', 'ops', 5000)`); err == nil {
				t.Error("an unknown kind was accepted after 0027")
			}
		})
	}
}
