package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// projFixture is the environment fixture plus a project of Acme's (test, preprod and prod) and
// one of Globex's, both from the default template, started on the fixture's day.
type projFixture struct {
	*envFixture
	acmeProj, globexProj *opsdesk.Project
	start                time.Time
}

func newProjFixture(t *testing.T, db *store.DB) *projFixture {
	t.Helper()
	f := &projFixture{envFixture: newEnvFixture(t, db)}
	f.start = opsdesk.Day(f.now)
	f.acmeProj = &opsdesk.Project{CustomerID: f.acme.ID, Name: "Acme go-live", ManagerID: f.pm.ID, OpsLeadID: f.agent.ID,
		StartOn: f.start, TargetOn: f.start.AddDate(0, 4, 0), EnvironmentIDs: []int64{f.acmeProd.ID, f.acmeTest.ID, f.acmePre.ID}}
	f.globexProj = &opsdesk.Project{CustomerID: f.globex.ID, Name: "Globex go-live", ManagerID: f.ops.ID, StartOn: f.start}
	for _, p := range []*opsdesk.Project{f.acmeProj, f.globexProj} {
		if err := db.CreateProject(as(f.pm), p, ""); err != nil {
			t.Fatalf("create project %s: %v", p.Name, err)
		}
	}
	return f
}

// item returns the project's item titled en (English).
func (f *projFixture) item(t *testing.T, db *store.DB, projectID int64, en string) *opsdesk.Item {
	t.Helper()
	items, err := db.Items(admin, projectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.TitleEN == en {
			return it
		}
	}
	t.Fatalf("no item %q", en)
	return nil
}

func wantErr(t *testing.T, what string, err error, kind opsdesk.Kind, field string) {
	t.Helper()
	if opsdesk.ErrorKind(err) != kind || opsdesk.ErrorField(err) != field {
		t.Fatalf("%s: %v, want %s on %q", what, err, kind, field)
	}
}

func TestProjectCreateFromTemplate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		phases, err := db.Phases(as(f.custA), f.acmeProj.ID)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, p := range phases {
			codes = append(codes, p.Code)
			if p.Status != opsdesk.PhaseOpen || p.NameFR == "" || p.NameEN == "" {
				t.Errorf("phase %+v", p)
			}
		}
		if want := []string{"preframing", "framing", "deployment", "operations", "improvement"}; !slices.Equal(codes, want) {
			t.Fatalf("phases = %v, want %v", codes, want)
		}
		arch := f.item(t, db, f.acmeProj.ID, "Target architecture")
		if arch.TitleFR != "Architecture cible" || arch.OwnerSide != opsdesk.SideCustomer || arch.Kind != opsdesk.ItemPrerequisite ||
			arch.Status != opsdesk.ItemTodo || !arch.DueOn.Equal(f.start.AddDate(0, 0, 10)) || arch.PhaseCode != "preframing" {
			t.Fatalf("target architecture = %+v", arch)
		}
		for _, en := range []string{"Servers", "Capacity sizing", "Operating systems and versions", "Network and flows",
			"App-store account delegation (Apple/Google)", "Accesses", "Plan and milestones validated", "Priorities agreed",
			"Environments supported", "Support contract and SLA active", "Probes on", "Access grants recorded",
			"Monitoring review", "Audit", "Performance review"} {
			f.item(t, db, f.acmeProj.ID, en)
		}
		got, err := db.Project(as(f.custA), f.acmeProj.ID)
		if err != nil || got.TemplateCode != "default" || got.Priority != opsdesk.PriorityNormal || got.ManagerName == "" ||
			!slices.Equal(got.EnvironmentIDs, []int64{f.acmeProd.ID, f.acmeTest.ID, f.acmePre.ID}) || got.CustomerName != "Acme" {
			t.Fatalf("project = %+v %v", got, err)
		}
		// Seeding again leaves the template alone (one template, not two).
		if err := db.SeedDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		if tpls, err := db.ProjectTemplates(admin); err != nil || len(tpls) != 1 || len(tpls[0].Phases) != 5 || !tpls[0].IsDefault {
			t.Fatalf("templates = %d %v", len(tpls), err)
		}

		bad := []struct {
			name     string
			ctx      context.Context
			p        opsdesk.Project
			template string
			kind     opsdesk.Kind
			field    string
		}{
			{"by an agent", as(f.agent), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now}, "", opsdesk.KindForbidden, ""},
			{"by a customer", as(f.custA), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now}, "", opsdesk.KindForbidden, ""},
			{"no name", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, ManagerID: f.pm.ID, StartOn: f.now}, "", opsdesk.KindInvalid, "name"},
			{"agent as manager", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.agent.ID, StartOn: f.now}, "", opsdesk.KindInvalid, "manager"},
			{"customer as ops lead", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, OpsLeadID: f.custA.ID, StartOn: f.now}, "", opsdesk.KindInvalid, "ops_lead"},
			{"another customer's environment", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now, EnvironmentIDs: []int64{f.globexPre.ID}}, "", opsdesk.KindInvalid, "environments"},
			{"target before start", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now, TargetOn: f.now.AddDate(0, 0, -1)}, "", opsdesk.KindInvalid, "target_date"},
			{"unknown template", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now}, "nope", opsdesk.KindInvalid, "template"},
			{"unknown priority", as(f.pm), opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now, Priority: "urgent"}, "", opsdesk.KindInvalid, "priority"},
			{"no customer", as(f.pm), opsdesk.Project{CustomerID: 999, Name: "x", ManagerID: f.pm.ID, StartOn: f.now}, "", opsdesk.KindInvalid, "customer"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				wantErr(t, b.name, db.CreateProject(b.ctx, &b.p, b.template), b.kind, b.field)
			})
		}
	})
}

func TestProjectPhaseGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		_, err := db.ClosePhase(as(f.ops), id, "preframing")
		wantErr(t, "close with open items", err, opsdesk.KindConflict, "phase")
		if msg := opsdesk.ErrorMessage(err); !strings.Contains(msg, "Target architecture") || !strings.Contains(msg, "Accesses") {
			t.Fatalf("message does not name the open items: %q", msg)
		}
		items, err := db.Items(admin, id)
		if err != nil {
			t.Fatal(err)
		}
		var last *opsdesk.Item
		for _, it := range items {
			if it.PhaseCode != "preframing" {
				continue
			}
			if it.TitleEN == "Accesses" {
				last = it
				continue
			}
			if _, err := db.UpdateItem(as(f.agent), id, it.ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemValidated)}); err != nil {
				t.Fatalf("validate %s: %v", it.TitleEN, err)
			}
		}
		_, err = db.ClosePhase(as(f.ops), id, "preframing")
		wantErr(t, "close with one open item", err, opsdesk.KindConflict, "phase")
		if msg := opsdesk.ErrorMessage(err); !strings.Contains(msg, "Accesses") || strings.Contains(msg, "Servers") {
			t.Fatalf("message = %q, want only the open item", msg)
		}
		if _, err := db.WaiveItem(as(f.ops), id, last.ID, "accesses given at the kick-off"); err != nil {
			t.Fatal(err)
		}
		// Who closes: not a customer, not an agent other than the Ops lead.
		_, err = db.ClosePhase(as(f.custA), id, "preframing")
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.ClosePhase(as(f.n2), id, "preframing")
		wantKind(t, err, opsdesk.KindForbidden)
		ph, err := db.ClosePhase(as(f.agent), id, "preframing") // the Ops lead
		if err != nil || ph.Status != opsdesk.PhaseClosed || ph.ClosedBy != f.agent.Email || !ph.ClosedAt.Equal(f.now) {
			t.Fatalf("close: %+v %v", ph, err)
		}
		_, err = db.ClosePhase(as(f.ops), id, "preframing")
		wantErr(t, "close twice", err, opsdesk.KindConflict, "phase")
		_, err = db.UpdateItem(as(f.agent), id, last.ID, opsdesk.ItemPatch{Evidence: ptr("late")})
		wantErr(t, "change in a closed phase", err, opsdesk.KindConflict, "phase")
		_, err = db.ClosePhase(as(f.ops), id, "nope")
		wantKind(t, err, opsdesk.KindNotFound)

		_, err = db.ReopenPhase(as(f.ops), id, "preframing", " ")
		wantErr(t, "reopen without reason", err, opsdesk.KindInvalid, "reason")
		f.tick()
		ph, err = db.ReopenPhase(as(f.pm), id, "preframing", "new servers for the DMZ")
		if err != nil || ph.Status != opsdesk.PhaseOpen || !ph.ClosedAt.IsZero() {
			t.Fatalf("reopen: %+v %v", ph, err)
		}
		hist, err := db.ProjectHistory(as(f.custA), id)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range hist {
			if strings.HasPrefix(e.Action, "phase_") || e.Action == "item_waived" {
				lines = append(lines, e.Action+" "+e.Actor+" "+e.Detail)
			}
		}
		want := []string{"item_waived ops@vendor.example accesses given at the kick-off", "phase_closed n1@vendor.example preframing",
			"phase_reopened pm@vendor.example preframing: new servers for the DMZ"}
		if !slices.Equal(lines, want) {
			t.Fatalf("history = %q, want %q", lines, want)
		}
	})
}

func TestProjectWaive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		servers := f.item(t, db, id, "Servers")
		sizing := f.item(t, db, id, "Capacity sizing")
		steps := []struct {
			name   string
			ctx    context.Context
			item   int64
			reason string
			kind   opsdesk.Kind
			field  string
		}{
			{"agent", as(f.agent), servers.ID, "not needed", opsdesk.KindForbidden, ""},
			{"project manager", as(f.pm), servers.ID, "not needed", opsdesk.KindForbidden, ""},
			{"customer owning it", as(f.custA), servers.ID, "not needed", opsdesk.KindForbidden, ""},
			{"another customer", as(f.custB), servers.ID, "not needed", opsdesk.KindNotFound, ""},
			{"ops manager without reason", as(f.ops), servers.ID, "  ", opsdesk.KindInvalid, "waive_reason"},
			{"ops manager with reason", as(f.ops), servers.ID, "servers are the vendor's cloud", "", ""},
			{"twice", as(f.ops), servers.ID, "again", opsdesk.KindConflict, "status"},
			{"admin", as(f.adm), sizing.ID, "sized by the customer's integrator", "", ""},
			{"no such item", as(f.ops), 99999, "x", opsdesk.KindNotFound, ""},
		}
		for _, s := range steps {
			it, err := db.WaiveItem(s.ctx, id, s.item, s.reason)
			if s.kind != "" {
				wantErr(t, s.name, err, s.kind, s.field)
				continue
			}
			if err != nil || it.Status != opsdesk.ItemWaived || it.WaiveReason != s.reason || it.Reviewer == "" {
				t.Fatalf("%s: %+v %v", s.name, it, err)
			}
		}
		// Waiving through a patch is refused; only an ops manager takes an item out of waived.
		_, err := db.UpdateItem(as(f.ops), id, f.item(t, db, id, "Accesses").ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemWaived)})
		wantErr(t, "waive by patch", err, opsdesk.KindInvalid, "status")
		_, err = db.UpdateItem(as(f.agent), id, servers.ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemTodo)})
		wantKind(t, err, opsdesk.KindForbidden)
		it, err := db.UpdateItem(as(f.ops), id, servers.ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemTodo)})
		if err != nil || it.Status != opsdesk.ItemTodo || it.WaiveReason != "" {
			t.Fatalf("unwaive: %+v %v", it, err)
		}
	})
}

func TestProjectCustomerScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjFixture(t, db)
		id := f.acmeProj.ID
		custItem := f.item(t, db, id, "Network and flows") // customer-owned
		vendItem := f.item(t, db, id, "Capacity sizing")   // vendor-owned
		task := &opsdesk.Task{ProjectID: id, PhaseCode: "framing", Title: "Kick-off", Milestone: true}
		if err := db.SaveTask(as(f.pm), task); err != nil {
			t.Fatal(err)
		}
		tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Type: opsdesk.TypeAccessRequest,
			Severity: "minor", Category: "application", Subject: "VPN for the vendor", Description: "please"})
		if err := db.LinkProjectTicket(as(f.agent), id, tk.Key); err != nil {
			t.Fatal(err)
		}
		calls := []struct {
			name string
			call func(ctx context.Context) error
			own  opsdesk.Kind // what Acme's customer gets ("" = allowed); Globex's always gets not found
		}{
			{"Project", func(c context.Context) error { _, err := db.Project(c, id); return err }, ""},
			{"Phases", func(c context.Context) error { _, err := db.Phases(c, id); return err }, ""},
			{"Items", func(c context.Context) error { _, err := db.Items(c, id); return err }, ""},
			{"Item", func(c context.Context) error { _, err := db.Item(c, id, custItem.ID); return err }, ""},
			{"Tasks", func(c context.Context) error { _, err := db.Tasks(c, id); return err }, ""},
			{"ProjectLinks", func(c context.Context) error { _, err := db.ProjectLinks(c, id); return err }, ""},
			{"ProjectHistory", func(c context.Context) error { _, err := db.ProjectHistory(c, id); return err }, ""},
			{"ProjectStatusReport", func(c context.Context) error { _, err := db.ProjectStatusReport(c, id); return err }, ""},
			{"CommentItem own side", func(c context.Context) error { return db.CommentItem(c, id, custItem.ID, "flows attached") }, ""},
			{"CommentItem vendor side", func(c context.Context) error { return db.CommentItem(c, id, vendItem.ID, "hello") }, opsdesk.KindForbidden},
			{"UpdateItem vendor side", func(c context.Context) error {
				_, err := db.UpdateItem(c, id, vendItem.ID, opsdesk.ItemPatch{Evidence: ptr("x")})
				return err
			}, opsdesk.KindForbidden},
			{"UpdateItem validate", func(c context.Context) error {
				_, err := db.UpdateItem(c, id, custItem.ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemValidated)})
				return err
			}, opsdesk.KindForbidden},
			{"UpdateItem due date", func(c context.Context) error {
				_, err := db.UpdateItem(c, id, custItem.ID, opsdesk.ItemPatch{DueOn: ptr(f.now.AddDate(1, 0, 0))})
				return err
			}, opsdesk.KindForbidden},
			{"UpdateItem owner", func(c context.Context) error {
				_, err := db.UpdateItem(c, id, custItem.ID, opsdesk.ItemPatch{OwnerUserID: ptr(f.custA.ID)})
				return err
			}, opsdesk.KindForbidden},
			{"WaiveItem", func(c context.Context) error { _, err := db.WaiveItem(c, id, custItem.ID, "x"); return err }, opsdesk.KindForbidden},
			{"ClosePhase", func(c context.Context) error { _, err := db.ClosePhase(c, id, "framing"); return err }, opsdesk.KindForbidden},
			{"ReopenPhase", func(c context.Context) error { _, err := db.ReopenPhase(c, id, "framing", "x"); return err }, opsdesk.KindForbidden},
			{"SaveTask", func(c context.Context) error {
				return db.SaveTask(c, &opsdesk.Task{ProjectID: id, PhaseCode: "framing", Title: "x"})
			}, opsdesk.KindForbidden},
			{"SetTaskStatus", func(c context.Context) error {
				_, err := db.SetTaskStatus(c, id, task.ID, opsdesk.TaskDone)
				return err
			}, opsdesk.KindForbidden},
			{"LinkProjectTicket", func(c context.Context) error { return db.LinkProjectTicket(c, id, tk.Key) }, opsdesk.KindForbidden},
			{"UnlinkProjectTicket", func(c context.Context) error { return db.UnlinkProjectTicket(c, id, tk.Key) }, opsdesk.KindForbidden},
			{"UpdateProject", func(c context.Context) error {
				p := *f.acmeProj
				p.Name = "mine"
				return db.UpdateProject(c, &p)
			}, opsdesk.KindForbidden},
			{"AgreePriority", func(c context.Context) error { _, err := db.AgreePriority(c, id, opsdesk.PriorityHigh); return err }, opsdesk.KindForbidden},
			{"SetProjectClosed", func(c context.Context) error { return db.SetProjectClosed(c, id, true, "") }, opsdesk.KindForbidden},
			{"UpdateItem own side (last: submits it)", func(c context.Context) error {
				_, err := db.UpdateItem(c, id, custItem.ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemSubmitted), Evidence: ptr("flow matrix v2"),
					Attachments: []opsdesk.NewAttachment{{Name: "flows.xlsx", ContentType: "application/zip", Size: 10, SHA256: strings.Repeat("ab", 32)}}})
				return err
			}, ""},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				if err := c.call(as(f.custB)); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
					t.Fatalf("another customer: %v, want not found", err)
				}
				if err := c.call(as(f.custA)); opsdesk.ErrorKind(err) != c.own {
					t.Fatalf("own customer: %v, want %q", err, c.own)
				}
			})
		}
		got := f.item(t, db, id, "Network and flows")
		if got.Status != opsdesk.ItemSubmitted || got.Evidence != "flow matrix v2" || got.SubmittedBy != f.custA.Email ||
			len(got.Attachments) != 1 || got.Attachments[0].Name != "flows.xlsx" || got.Attachments[0].UploadedBy != f.custA.Email {
			t.Fatalf("submitted item = %+v", got)
		}
		// Once validated, the customer's evidence is frozen.
		if _, err := db.UpdateItem(as(f.agent), id, custItem.ID, opsdesk.ItemPatch{Status: ptr(opsdesk.ItemValidated)}); err != nil {
			t.Fatal(err)
		}
		_, err := db.UpdateItem(as(f.custA), id, custItem.ID, opsdesk.ItemPatch{Evidence: ptr("changed")})
		wantErr(t, "customer edits a validated item", err, opsdesk.KindConflict, "status")
		if err := db.CreateProject(as(f.custA), &opsdesk.Project{CustomerID: f.acme.ID, Name: "x", ManagerID: f.pm.ID, StartOn: f.now}, ""); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Fatalf("customer creates a project: %v", err)
		}
		for _, c := range []struct {
			u    *opsdesk.User
			want []int64
		}{{f.custA, []int64{f.acmeProj.ID}}, {f.custB, []int64{f.globexProj.ID}}, {f.agent, []int64{f.globexProj.ID, f.acmeProj.ID}}} {
			ps, err := db.ListProjects(as(c.u), opsdesk.ProjectFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			if !slices.Equal(ids, c.want) {
				t.Fatalf("%s lists %v, want %v", c.u.Email, ids, c.want)
			}
		}
		// A customer asking for another organisation through the filter still gets their own.
		if ps, err := db.ListProjects(as(f.custB), opsdesk.ProjectFilter{CustomerID: f.acme.ID}); err != nil || len(ps) != 1 || ps[0].ID != f.globexProj.ID {
			t.Fatalf("filtered list = %v %v", ps, err)
		}
	})
}
