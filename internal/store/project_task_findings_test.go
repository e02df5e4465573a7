package store_test

import (
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestProjectTaskFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		audit := &opsdesk.Task{ProjectID: id, PhaseCode: "improvement", Title: "Security audit", EstimateHours: 8,
			Recurrence: opsdesk.Recurrence{Every: 3, Unit: opsdesk.RecurMonths}}
		if err := db.SaveTask(as(f.pm), audit); err != nil {
			t.Fatal(err)
		}
		_, err := db.SetTaskFindings(as(f.agent), id, audit.ID, "too early")
		wantErr(t, "findings on a task not done", err, opsdesk.KindInvalid, "findings")
		if _, err := db.SetTaskStatus(as(f.agent), id, audit.ID, opsdesk.TaskDone); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name    string
			as      *opsdesk.User
			task    int64
			project int64
			text    string
			kind    opsdesk.Kind
			field   string
		}{
			{"too long", f.agent, audit.ID, id, strings.Repeat("x", opsdesk.MaxFindings+1), opsdesk.KindInvalid, "findings"},
			{"by the customer", f.custA, audit.ID, id, "none", opsdesk.KindForbidden, ""},
			{"by another customer", f.custB, audit.ID, id, "none", opsdesk.KindNotFound, ""},
			{"a task of another project", f.agent, audit.ID, f.globexProj.ID, "x", opsdesk.KindNotFound, ""},
			{"recorded", f.agent, audit.ID, id, "  2 medium findings: TLS 1.0 on the API; admin without MFA\r\n", "", ""},
		}
		for _, s := range steps {
			f.tick()
			got, err := db.SetTaskFindings(as(s.as), s.project, s.task, s.text)
			if s.kind != "" {
				wantErr(t, s.name, err, s.kind, s.field)
				continue
			}
			if err != nil || got.Findings != "2 medium findings: TLS 1.0 on the API; admin without MFA" {
				t.Fatalf("%s: %+v %v", s.name, got, err)
			}
		}
		// Editing the task keeps its findings; the next occurrence starts without.
		audit.Title, audit.EstimateHours = "Security audit (Q1)", 6
		if err := db.SaveTask(as(f.pm), audit); err != nil {
			t.Fatal(err)
		}
		tasks, err := db.Tasks(as(f.custA), id)
		if err != nil || len(tasks) != 2 {
			t.Fatalf("tasks = %+v %v", tasks, err)
		}
		for _, tk := range tasks {
			want := ""
			if tk.ID == audit.ID {
				want = "2 medium findings: TLS 1.0 on the API; admin without MFA"
			}
			if tk.Findings != want {
				t.Fatalf("task %q findings = %q, want %q", tk.Title, tk.Findings, want)
			}
		}
		// Cleared, and both changes are in the history with who.
		if got, err := db.SetTaskFindings(as(f.ops), id, audit.ID, ""); err != nil || got.Findings != "" {
			t.Fatalf("clear: %+v %v", got, err)
		}
		hist, err := db.ProjectHistory(as(f.pm), id)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range hist {
			if e.Action == "task_findings" && e.TaskID == audit.ID {
				got = append(got, e.Actor+"|"+e.Detail)
			}
		}
		if len(got) != 2 || !strings.Contains(got[0], "TLS 1.0") || !strings.Contains(got[1], "cleared") {
			t.Fatalf("findings history = %q", got)
		}
		// A closed project refuses.
		if err := db.SetProjectClosed(as(f.pm), id, true, ""); err != nil {
			t.Fatal(err)
		}
		_, err = db.SetTaskFindings(as(f.agent), id, audit.ID, "late")
		wantErr(t, "closed project", err, opsdesk.KindConflict, "project")
	})
}
