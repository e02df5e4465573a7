package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type projectJSON struct {
	ID             int64  `json:"id"`
	Customer       string `json:"customer"`
	Name           string `json:"name"`
	Template       string `json:"template"`
	StartDate      string `json:"start_date"`
	TargetDate     string `json:"target_date"`
	Environments   []int64
	Priority       string `json:"priority"`
	PriorityAgreed bool   `json:"priority_agreed"`
	OpsAgreement   struct {
		By *struct{ Name string } `json:"by"`
	} `json:"ops_agreement"`
	ProjectManager struct{ ID int64 } `json:"project_manager"`
	Closed         bool               `json:"closed"`
	Status         string             `json:"status"`
	StatusReasons  []string           `json:"status_reasons"`
}

type itemJSON struct {
	ID          int64  `json:"id"`
	TitleEN     string `json:"title_en"`
	OwnerSide   string `json:"owner_side"`
	Status      string `json:"status"`
	Evidence    string `json:"evidence"`
	Reviewer    string `json:"reviewer"`
	WaiveReason string `json:"waive_reason"`
	Attachments []struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"attachments"`
}

type phaseJSON struct {
	Code      string     `json:"code"`
	Status    string     `json:"status"`
	CanClose  bool       `json:"can_close"`
	OpenItems []int64    `json:"open_items"`
	Items     []itemJSON `json:"items"`
}

type taskJSON struct {
	ID         int64   `json:"id"`
	Status     string  `json:"status"`
	DependsOn  []int64 `json:"depends_on"`
	Deployment int64   `json:"deployment"`
	Assignee   *struct{ Name string }
	Title      string `json:"title"`
	Findings   string `json:"findings"`
}

// projectSeed is ACME's project in the tests: its path, a customer-owned and a vendor-owned
// pre-framing item, a task, a linked ticket, and an evidence file on the customer's item.
type projectSeed struct {
	path, custItem, vendorItem, task, link, file string
}

// seedProject has the ops manager create a project of ACME from the default template, with a
// task and a link to ticket, and Alice upload evidence on a prerequisite ACME owes.
func (e *env) seedProject(ticket string) projectSeed {
	e.t.Helper()
	var p projectJSON
	e.do("ops", "POST", "/api/v1/projects", map[string]any{"customer": "ACME", "name": "Secret of ACME go-live"}).
		want(e.t, http.StatusCreated, &p)
	s := projectSeed{path: "/api/v1/projects/" + strconv.FormatInt(p.ID, 10)}
	for _, it := range e.phases("ops", s.path)[0].Items {
		switch it.TitleEN {
		case "Accesses":
			s.custItem = s.path + "/items/" + strconv.FormatInt(it.ID, 10)
		case "Capacity sizing":
			s.vendorItem = s.path + "/items/" + strconv.FormatInt(it.ID, 10)
		}
	}
	var tk taskJSON
	e.do("ops", "POST", s.path+"/tasks", map[string]any{"phase": "framing", "title": "Plan"}).want(e.t, http.StatusCreated, &tk)
	s.task = s.path + "/tasks/" + strconv.FormatInt(tk.ID, 10)
	e.do("ops", "POST", s.path+"/links", map[string]any{"key": ticket}).want(e.t, http.StatusCreated, nil)
	s.link = s.path + "/links/" + ticket
	var it itemJSON
	e.upload("alice", s.custItem+"/attachments", field{form: "file", name: "vpn.txt", value: "vpn: granted"}).
		want(e.t, http.StatusCreated, &it)
	s.file = it.Attachments[0].URL
	return s
}

func (e *env) phases(user, path string) []phaseJSON {
	e.t.Helper()
	var ps struct{ Items []phaseJSON }
	e.do(user, "GET", path+"/phases", nil).want(e.t, http.StatusOK, &ps)
	return ps.Items
}

func (e *env) projectOf(user, path string) projectJSON {
	e.t.Helper()
	var p projectJSON
	e.do(user, "GET", path, nil).want(e.t, http.StatusOK, &p)
	return p
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func TestProjectsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.addUser(&opsdesk.User{Email: "pm@vendor.example", Name: "Paula", Role: opsdesk.RoleProjectManager})
		today := opsdesk.Day(db.Now())
		var p projectJSON
		e.do("pm", "POST", "/api/v1/projects", map[string]any{"customer": "ACME", "name": "Go-live", "start_date": day(today),
			"target_date": day(today.AddDate(0, 6, 0)), "ops_lead": "n1@vendor.example", "environments": []int64{e.acmeProd.ID},
			"priority": "high"}).want(t, http.StatusCreated, &p)
		path := "/api/v1/projects/" + strconv.FormatInt(p.ID, 10)
		if p.Template != "default" || p.Customer != "ACME" || p.Priority != "high" || p.PriorityAgreed ||
			p.ProjectManager.ID != e.users["pm"].ID || p.Status != "on_track" {
			t.Fatalf("created %+v", p)
		}

		t.Run("create refuses bad input, naming the field", func(t *testing.T) {
			for _, c := range []struct {
				user  string
				body  map[string]any
				code  int
				field string
			}{
				{"pm", map[string]any{"customer": "ACME"}, 422, "name"},
				{"pm", map[string]any{"name": "x"}, 422, "customer"},
				{"pm", map[string]any{"customer": "ACME", "name": "x", "target_date": "2026-13-01"}, 422, "target_date"},
				{"pm", map[string]any{"customer": "ACME", "name": "x", "start_date": "2026-06-01", "target_date": "2026-05-01"}, 422, "target_date"},
				{"pm", map[string]any{"customer": "ACME", "name": "x", "template": "nope"}, 422, "template"},
				{"pm", map[string]any{"customer": "ACME", "name": "x", "priority": "urgent"}, 422, "priority"},
				{"pm", map[string]any{"customer": "ACME", "name": "x", "project_manager": "n1@vendor.example"}, 422, "project_manager"},
				{"pm", map[string]any{"customer": "ACME", "name": "x", "environments": []int64{e.globexProd.ID}}, 422, "environments"},
				{"n1", map[string]any{"customer": "ACME", "name": "x", "project_manager": "pm@vendor.example"}, 403, ""},
				{"alice", map[string]any{"customer": "ACME", "name": "x", "project_manager": "pm@vendor.example"}, 403, ""},
			} {
				e.do(c.user, "POST", "/api/v1/projects", c.body).problem(t, c.code, c.field)
			}
		})

		t.Run("phases come from the default template", func(t *testing.T) {
			ps := e.phases("alice", path)
			var codes []string
			for _, ph := range ps {
				codes = append(codes, ph.Code)
			}
			if strings.Join(codes, ",") != "preframing,framing,deployment,operations,improvement" {
				t.Fatalf("phases %v", codes)
			}
			if len(ps[0].Items) != 7 || ps[0].CanClose || len(ps[0].OpenItems) != 7 || ps[0].Status != "open" {
				t.Errorf("preframing %+v", ps[0])
			}
		})

		items := map[string]itemJSON{}
		for _, it := range e.phases("ops", path)[0].Items {
			items[it.TitleEN] = it
		}
		itemPath := func(title string) string { return path + "/items/" + strconv.FormatInt(items[title].ID, 10) }

		t.Run("the gate refuses an open item and names it", func(t *testing.T) {
			for title := range items {
				if title != "Accesses" {
					e.do("ops", "PATCH", itemPath(title), map[string]any{"status": "validated"}).want(t, http.StatusOK, nil)
				}
			}
			pr := e.do("pm", "POST", path+"/phases/preframing/close", nil).problem(t, http.StatusConflict, "phase")
			if !strings.Contains(pr.Detail, "Accesses") {
				t.Errorf("the conflict does not name the open item: %+v", pr)
			}
			if fr := i18n.Domain(opsdesk.LangFR, pr.Detail); !strings.HasPrefix(fr, "la phase preframing ne peut pas être clôturée") ||
				!strings.Contains(fr, "Accesses") {
				t.Errorf("in French: %q", fr)
			}
			if ph := e.phases("pm", path)[0]; ph.CanClose || len(ph.OpenItems) != 1 || ph.OpenItems[0] != items["Accesses"].ID {
				t.Errorf("gate state %+v", ph)
			}
		})

		t.Run("the customer submits only their own side's items", func(t *testing.T) {
			acc, sizing := itemPath("Accesses"), itemPath("Capacity sizing")
			e.do("ops", "PATCH", sizing, map[string]any{"status": "todo"}).want(t, http.StatusOK, nil)
			for _, c := range []struct {
				path string
				body map[string]any
			}{
				{sizing, map[string]any{"status": "submitted", "evidence": "16 cores"}}, // the vendor's item
				{acc, map[string]any{"status": "validated"}},
				{acc, map[string]any{"due_date": "2030-01-01"}},
				{acc, map[string]any{"owner": "me"}},
				{acc, map[string]any{"status": "waived", "waive_reason": "r"}},
			} {
				e.do("alice", "PATCH", c.path, c.body).problem(t, http.StatusForbidden, "")
			}
			e.do("alice", "POST", sizing+"/comments", map[string]any{"body": "hi"}).problem(t, http.StatusForbidden, "")
			e.upload("alice", sizing+"/attachments", field{form: "file", name: "x.txt", value: "x"}).problem(t, http.StatusForbidden, "")
			var it itemJSON
			e.do("alice", "PATCH", acc, map[string]any{"status": "submitted", "evidence": "VPN account sent"}).want(t, http.StatusOK, &it)
			if it.Status != "submitted" || it.Evidence != "VPN account sent" {
				t.Errorf("submitted %+v", it)
			}
			e.upload("alice", acc+"/attachments", field{form: "file", name: "vpn.txt", value: "vpn: granted"}).want(t, http.StatusCreated, &it)
			if len(it.Attachments) != 1 || it.Attachments[0].Name != "vpn.txt" {
				t.Fatalf("attachments %+v", it.Attachments)
			}
			if got := e.do("alice", "GET", it.Attachments[0].URL, nil).want(t, http.StatusOK, nil); string(got.body) != "vpn: granted" {
				t.Errorf("download %q", got.body)
			}
			e.do("alice", "POST", acc+"/comments", map[string]any{"body": "Sent by mail too"}).want(t, http.StatusNoContent, nil)
			if e.do("ops", "GET", sizing, nil).want(t, http.StatusOK, &it); it.Status != "todo" {
				t.Errorf("the vendor's item changed: %+v", it)
			}
		})

		t.Run("waiving needs an ops manager and a reason", func(t *testing.T) {
			sizing := itemPath("Capacity sizing")
			e.do("n1", "PATCH", sizing, map[string]any{"status": "waived", "waive_reason": "not needed"}).problem(t, http.StatusForbidden, "")
			e.do("pm", "PATCH", sizing, map[string]any{"status": "waived", "waive_reason": "not needed"}).problem(t, http.StatusForbidden, "")
			e.do("ops", "PATCH", sizing, map[string]any{"status": "waived"}).problem(t, 422, "waive_reason")
			e.do("ops", "PATCH", sizing, map[string]any{"status": "validated", "waive_reason": "x"}).problem(t, 422, "waive_reason")
			var it itemJSON
			e.do("ops", "PATCH", sizing, map[string]any{"status": "waived", "waive_reason": "sized by the customer"}).want(t, http.StatusOK, &it)
			if it.Status != "waived" || it.WaiveReason != "sized by the customer" || it.Reviewer == "" {
				t.Errorf("waived %+v", it)
			}
		})

		t.Run("the gate closes once complete, and reopens with a reason", func(t *testing.T) {
			var it itemJSON
			e.do("n1", "PATCH", itemPath("Accesses"), map[string]any{"status": "validated"}).want(t, http.StatusOK, &it)
			if it.Reviewer != "n1@vendor.example" {
				t.Errorf("reviewer %q", it.Reviewer)
			}
			e.do("n2", "POST", path+"/phases/preframing/close", nil).problem(t, http.StatusForbidden, "") // not the Ops lead
			var ph phaseJSON
			e.do("n1", "POST", path+"/phases/preframing/close", nil).want(t, http.StatusOK, &ph)
			if ph.Status != "closed" {
				t.Errorf("closed %+v", ph)
			}
			e.do("ops", "PATCH", itemPath("Accesses"), map[string]any{"status": "todo"}).problem(t, http.StatusConflict, "phase")
			e.do("pm", "POST", path+"/phases/preframing/reopen", map[string]any{"reason": " "}).problem(t, 422, "reason")
			e.do("pm", "POST", path+"/phases/preframing/reopen", map[string]any{"reason": "new server"}).want(t, http.StatusOK, &ph)
			if ph.Status != "open" {
				t.Errorf("reopened %+v", ph)
			}
			e.do("pm", "POST", path+"/phases/nope/close", nil).problem(t, http.StatusNotFound, "")
		})

		t.Run("deployment tasks follow the promotion path", func(t *testing.T) {
			preprod := &opsdesk.Environment{CustomerID: e.acme.ID, Kind: opsdesk.EnvPreprod, Name: "Préproduction"}
			must(t, db.CreateEnvironment(system, preprod))
			var prod, pre, plan taskJSON
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "deployment", "title": "Prod", "environment": e.acmeProd.ID,
				"component": "app", "version": "2.0", "estimate_hours": 4, "assignee": "me", "due": day(today.AddDate(0, 2, 0))}).
				want(t, http.StatusCreated, &prod)
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "deployment", "title": "Preprod", "environment": preprod.ID,
				"component": "app", "version": "2.0"}).want(t, http.StatusCreated, &pre)
			if prod.Assignee == nil || prod.Assignee.Name != "Nina" {
				t.Errorf("assignee %+v", prod.Assignee)
			}
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "nope", "title": "x"}).problem(t, 422, "phase")
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "framing", "title": "x", "estimate_hours": -1}).problem(t, 422, "estimate_hours")
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "framing", "title": "x", "status": "done"}).problem(t, 422, "status")
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "deployment", "title": "x", "environment": e.globexProd.ID,
				"component": "app", "version": "1"}).problem(t, 422, "environment")
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "framing", "title": "Plan", "depends_on": []int64{prod.ID}}).
				want(t, http.StatusCreated, &plan)
			e.do("n1", "PATCH", path+"/tasks/"+strconv.FormatInt(prod.ID, 10), map[string]any{"depends_on": []int64{plan.ID}}).
				problem(t, 422, "depends_on")
			e.do("alice", "PATCH", path+"/tasks/"+strconv.FormatInt(pre.ID, 10), map[string]any{"status": "done"}).problem(t, http.StatusForbidden, "")

			e.do("n1", "PATCH", path+"/tasks/"+strconv.FormatInt(prod.ID, 10), map[string]any{"status": "done"}).problem(t, http.StatusConflict, "version")
			var got taskJSON
			e.do("n1", "PATCH", path+"/tasks/"+strconv.FormatInt(pre.ID, 10), map[string]any{"status": "done"}).want(t, http.StatusOK, &got)
			if got.Status != "done" || got.Deployment == 0 {
				t.Errorf("preprod task %+v", got)
			}
			e.do("n1", "PATCH", path+"/tasks/"+strconv.FormatInt(prod.ID, 10), map[string]any{"status": "done"}).want(t, http.StatusOK, &got)
			if got.Status != "done" || got.Deployment == 0 {
				t.Errorf("prod task %+v", got)
			}
			var ts struct{ Items []taskJSON }
			e.do("alice", "GET", path+"/tasks", nil).want(t, http.StatusOK, &ts)
			if len(ts.Items) != 3 {
				t.Errorf("alice sees %d tasks, want 3", len(ts.Items))
			}
		})

		t.Run("findings of a done review", func(t *testing.T) {
			var rv taskJSON
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "improvement", "title": "Performance review",
				"findings": "early"}).problem(t, 422, "findings")
			e.do("n1", "POST", path+"/tasks", map[string]any{"phase": "improvement", "title": "Performance review",
				"recur_every": 1, "recur_unit": "months"}).want(t, http.StatusCreated, &rv)
			rp := path + "/tasks/" + strconv.FormatInt(rv.ID, 10)
			e.do("n1", "PATCH", rp, map[string]any{"findings": "not yet"}).problem(t, 422, "findings")
			e.do("alice", "PATCH", rp, map[string]any{"findings": "x"}).problem(t, http.StatusForbidden, "")
			e.do("bob", "PATCH", rp, map[string]any{"findings": "x"}).problem(t, http.StatusNotFound, "")
			var got taskJSON
			e.do("n1", "PATCH", rp, map[string]any{"status": "done", "findings": " p95 of the search 2.1 s, index missing "}).
				want(t, http.StatusOK, &got)
			if got.Status != "done" || got.Findings != "p95 of the search 2.1 s, index missing" {
				t.Errorf("done with findings %+v", got)
			}
			e.do("n1", "PATCH", rp, map[string]any{"title": "Performance review (May)", "findings": "p95 1.2 s after the index"}).
				want(t, http.StatusOK, &got)
			if got.Title != "Performance review (May)" || got.Findings != "p95 1.2 s after the index" {
				t.Errorf("edited %+v", got)
			}
			e.do("n1", "PATCH", rp, map[string]any{"findings": strings.Repeat("x", opsdesk.MaxFindings+1)}).problem(t, 422, "findings")
			var h struct {
				Items []struct {
					Action, Detail string
					Task           int64
				}
			}
			e.do("root", "GET", path+"/history", nil).want(t, http.StatusOK, &h)
			var details []string
			for _, ev := range h.Items {
				if ev.Action == "task_findings" {
					details = append(details, ev.Detail)
				}
			}
			if len(details) != 2 || !strings.Contains(details[0], "index missing") || !strings.Contains(details[1], "1.2 s") {
				t.Errorf("findings history %q", details)
			}
		})

		t.Run("the derived status is visible and filters the list", func(t *testing.T) {
			var late projectJSON
			e.do("pm", "POST", "/api/v1/projects", map[string]any{"customer": "ACME", "name": "Old", "start_date": "2020-01-01",
				"target_date": "2020-03-01"}).want(t, http.StatusCreated, &late)
			if late.Status != "late" || len(late.StatusReasons) == 0 || !strings.Contains(strings.Join(late.StatusReasons, " "), "2020-03-01") {
				t.Errorf("late project %s %v", late.Status, late.StatusReasons)
			}
			var soon projectJSON
			e.do("pm", "POST", "/api/v1/projects", map[string]any{"customer": "GLOBEX", "name": "Soon", "start_date": day(today),
				"target_date": day(today.AddDate(1, 0, 0))}).want(t, http.StatusCreated, &soon)
			sp := "/api/v1/projects/" + strconv.FormatInt(soon.ID, 10)
			if soon.Status != "on_track" {
				t.Errorf("new project %s %v", soon.Status, soon.StatusReasons)
			}
			e.do("n1", "POST", sp+"/tasks", map[string]any{"phase": "framing", "title": "Kick-off", "milestone": true,
				"due": day(today.AddDate(0, 0, 2))}).want(t, http.StatusCreated, nil)
			if h := e.projectOf("bob", sp); h.Status != "at_risk" || len(h.StatusReasons) != 1 || !strings.Contains(h.StatusReasons[0], "Kick-off") {
				t.Errorf("with a milestone in two days: %s %v", h.Status, h.StatusReasons)
			}
			for _, c := range []struct {
				user, query string
				want        []int64
			}{
				{"root", "?status=late", []int64{late.ID}},
				{"root", "?status=at_risk", []int64{soon.ID}},
				{"root", "?customer=ACME", []int64{late.ID, p.ID}},
				{"alice", "", []int64{late.ID, p.ID}},
				{"bob", "", []int64{soon.ID}},
				{"alice", "?status=at_risk", nil},
			} {
				var l struct{ Items []projectJSON }
				e.do(c.user, "GET", "/api/v1/projects"+c.query, nil).want(t, http.StatusOK, &l)
				var got []int64
				for _, x := range l.Items {
					got = append(got, x.ID)
				}
				if fmtIDs(got) != fmtIDs(c.want) {
					t.Errorf("%s %s: %v, want %v", c.user, c.query, got, c.want)
				}
			}
			e.do("root", "GET", "/api/v1/projects?status=fine", nil).problem(t, 422, "status")
			e.do("bob", "GET", "/api/v1/projects?customer=ACME", nil).problem(t, http.StatusNotFound, "")
		})

		t.Run("priority agreement, changes and closing", func(t *testing.T) {
			var got projectJSON
			e.do("ops", "PATCH", path, map[string]any{"priority": "high"}).want(t, http.StatusOK, &got)
			if got.PriorityAgreed || got.OpsAgreement.By == nil {
				t.Errorf("after Ops agreed %+v", got)
			}
			e.do("pm", "PATCH", path, map[string]any{"priority": "high"}).want(t, http.StatusOK, &got)
			if !got.PriorityAgreed {
				t.Errorf("after both agreed %+v", got)
			}
			e.do("pm", "PATCH", path, map[string]any{"priority": "critical"}).want(t, http.StatusOK, &got)
			if got.PriorityAgreed || got.Priority != "critical" || got.OpsAgreement.By != nil {
				t.Errorf("a new priority keeps the other side's agreement: %+v", got)
			}
			e.do("n1", "PATCH", path, map[string]any{"name": "x"}).problem(t, http.StatusForbidden, "")
			e.do("alice", "PATCH", path, map[string]any{"name": "x"}).problem(t, http.StatusForbidden, "")
			e.do("pm", "PATCH", path, map[string]any{"target_date": "1999-01-01"}).problem(t, 422, "target_date")
			e.do("pm", "PATCH", path, map[string]any{"name": "Go-live 2", "ops_lead": ""}).want(t, http.StatusOK, &got)
			if got.Name != "Go-live 2" {
				t.Errorf("renamed %+v", got)
			}
			e.do("pm", "PATCH", path, map[string]any{"closed": true}).want(t, http.StatusOK, &got)
			if !got.Closed || got.Status != "done" {
				t.Errorf("closed %+v", got)
			}
			e.do("pm", "PATCH", path, map[string]any{"name": "x"}).problem(t, http.StatusConflict, "project")
			e.do("pm", "PATCH", path, map[string]any{"closed": false}).problem(t, 422, "reason")
			e.do("pm", "PATCH", path, map[string]any{"name": "y", "reason": "why"}).problem(t, 422, "reason")
			e.do("pm", "PATCH", path, map[string]any{"closed": false, "reason": "phase 2"}).want(t, http.StatusOK, &got)
			if got.Closed {
				t.Errorf("reopened %+v", got)
			}
		})

		t.Run("ticket links and history", func(t *testing.T) {
			tk := e.file("alice", map[string]any{"environment": "prod", "subject": "VPN down"})
			other := e.file("bob", map[string]any{"environment": "prod"})
			e.do("alice", "POST", path+"/links", map[string]any{"key": tk.Number}).problem(t, http.StatusForbidden, "")
			e.do("n1", "POST", path+"/links", map[string]any{"key": other.Number}).problem(t, 422, "key")
			e.do("n1", "POST", path+"/links", map[string]any{"key": tk.Number}).want(t, http.StatusCreated, nil)
			e.do("n1", "POST", path+"/links", map[string]any{"key": tk.Number}).problem(t, http.StatusConflict, "key")
			var ls struct {
				Items []struct{ Kind, Key, Subject string }
			}
			e.do("alice", "GET", path+"/links", nil).want(t, http.StatusOK, &ls)
			if len(ls.Items) != 1 || ls.Items[0].Key != tk.Number || ls.Items[0].Subject != "VPN down" {
				t.Errorf("links %+v", ls.Items)
			}
			e.do("alice", "DELETE", path+"/links/"+tk.Number, nil).problem(t, http.StatusForbidden, "")
			e.do("n1", "DELETE", path+"/links/"+tk.Number, nil).want(t, http.StatusNoContent, nil)
			var h struct {
				Items []struct{ Action, Actor, Detail string }
			}
			e.do("alice", "GET", path+"/history", nil).want(t, http.StatusOK, &h)
			seen := map[string]bool{}
			for _, ev := range h.Items {
				seen[ev.Action] = true
				if ev.Action == "comment" && ev.Detail != "Sent by mail too" {
					t.Errorf("comment %+v", ev)
				}
			}
			for _, a := range []string{"created", "item_updated", "item_waived", "comment", "phase_closed", "phase_reopened",
				"priority_agreed", "closed", "reopened", "task_created", "task_status", "link", "unlink"} {
				if !seen[a] {
					t.Errorf("the history has no %s event", a)
				}
			}
		})
	})
}

func fmtIDs(ids []int64) string {
	var s []string
	for _, id := range ids {
		s = append(s, strconv.FormatInt(id, 10))
	}
	return strings.Join(s, ",")
}

// TestProjectsCustomerWrites proves, route by route, that a customer writes on their own project
// only the items their side owes: every other write is 403 and changes nothing.
func TestProjectsCustomerWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.file("alice", map[string]any{"environment": "prod"})
		s := e.seedProject(tk.Number)
		before := e.do("root", "GET", s.path+"/history", nil).want(t, http.StatusOK, nil).body
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/projects", map[string]any{"customer": "ACME", "name": "Mine", "project_manager": "ops@vendor.example"}},
			{"PATCH", s.path, map[string]any{"name": "Mine"}},
			{"PATCH", s.path, map[string]any{"priority": "critical"}},
			{"PATCH", s.path, map[string]any{"closed": true}},
			{"POST", s.path + "/phases/preframing/close", nil},
			{"POST", s.path + "/phases/preframing/reopen", map[string]any{"reason": "r"}},
			{"PATCH", s.vendorItem, map[string]any{"evidence": "x"}},
			{"PATCH", s.vendorItem, map[string]any{"status": "submitted"}},
			{"PATCH", s.custItem, map[string]any{"status": "validated"}},
			{"PATCH", s.custItem, map[string]any{"status": "waived", "waive_reason": "r"}},
			{"PATCH", s.custItem, map[string]any{"due_date": "2030-01-01"}},
			{"PATCH", s.custItem, map[string]any{"owner": "ops@vendor.example"}},
			{"POST", s.vendorItem + "/comments", map[string]any{"body": "x"}},
			{"POST", s.path + "/tasks", map[string]any{"phase": "framing", "title": "t"}},
			{"PATCH", s.task, map[string]any{"status": "done"}},
			{"PATCH", s.task, map[string]any{"title": "t"}},
			{"PATCH", s.task, map[string]any{"findings": "f"}},
			{"POST", s.path + "/links", map[string]any{"key": tk.Number}},
			{"DELETE", s.link, nil},
		} {
			t.Run(c.method+" "+c.path, func(t *testing.T) {
				e.do("alice", c.method, c.path, c.body).problem(t, http.StatusForbidden, "")
			})
		}
		e.upload("alice", s.vendorItem+"/attachments", field{form: "file", name: "x.txt", value: "x"}).problem(t, http.StatusForbidden, "")
		if after := e.do("root", "GET", s.path+"/history", nil).want(t, http.StatusOK, nil).body; string(after) != string(before) {
			t.Errorf("a refused write changed the history:\n%s\n%s", before, after)
		}
	})
}
