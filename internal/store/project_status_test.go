package store_test

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestProjectStatusDerived moves the injected clock over a project from the default template
// (first item due on day 10, target in four months) and reads its derived status.
func TestProjectStatusDerived(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		day := func(n int) time.Time { return f.start.AddDate(0, 0, n).Add(10 * time.Hour) }
		steps := []struct {
			name string
			now  time.Time
			do   func()
			want opsdesk.ProjectStatus
		}{
			{"at the start", day(0), nil, opsdesk.StatusOnTrack},
			{"the architecture is due within a week", day(3), nil, opsdesk.StatusAtRisk},
			{"on its due day", day(10), nil, opsdesk.StatusAtRisk},
			{"the day after", day(11), nil, opsdesk.StatusLate},
			{"once every item due so far is validated or waived", day(11), func() {
				items, err := db.Items(admin, id)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if !it.DueOn.After(f.start.AddDate(0, 0, 30)) {
						if _, err := db.WaiveItem(as(f.ops), id, it.ID, "done elsewhere"); err != nil {
							t.Fatal(err)
						}
					}
				}
			}, opsdesk.StatusOnTrack},
			{"a milestone past due", day(12), func() {
				m := &opsdesk.Task{ProjectID: id, PhaseCode: "framing", Title: "Plan signed", Milestone: true, DueOn: f.start.AddDate(0, 0, 11)}
				if err := db.SaveTask(as(f.pm), m); err != nil {
					t.Fatal(err)
				}
				if _, err := db.SetTaskStatus(as(f.pm), id, m.ID, opsdesk.TaskInProgress); err != nil {
					t.Fatal(err)
				}
			}, opsdesk.StatusLate},
			{"the milestone reached", day(12), func() {
				tasks, _ := db.Tasks(admin, id)
				if _, err := db.SetTaskStatus(as(f.pm), id, tasks[0].ID, opsdesk.TaskDone); err != nil {
					t.Fatal(err)
				}
			}, opsdesk.StatusOnTrack},
			{"the remaining work ends after the target", day(12), func() {
				big := &opsdesk.Task{ProjectID: id, PhaseCode: "deployment", Title: "Migrate the data", EstimateHours: 8 * 200}
				if err := db.SaveTask(as(f.pm), big); err != nil {
					t.Fatal(err)
				}
			}, opsdesk.StatusAtRisk},
			{"past the target", f.acmeProj.TargetOn.AddDate(0, 0, 1), nil, opsdesk.StatusLate},
			{"closed", f.acmeProj.TargetOn.AddDate(0, 0, 1), func() {
				if err := db.SetProjectClosed(as(f.pm), id, true, ""); err != nil {
					t.Fatal(err)
				}
			}, opsdesk.StatusDone},
		}
		for _, s := range steps {
			f.now = s.now
			if s.do != nil {
				s.do()
			}
			r, err := db.ProjectStatusReport(as(f.custA), id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != s.want {
				t.Fatalf("%s: %s %q, want %s", s.name, r.Status, r.Reasons, s.want)
			}
			if (r.Status == opsdesk.StatusAtRisk || r.Status == opsdesk.StatusLate) && len(r.Reasons) == 0 {
				t.Fatalf("%s: no reason given", s.name)
			}
		}
	})
}
