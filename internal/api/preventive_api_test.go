package api_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// preventiveScheduleJSON and preventiveTaskJSON are what the API answers.
type preventiveScheduleJSON struct {
	ID            int64   `json:"id"`
	Kind          string  `json:"kind"`
	Title         string  `json:"title"`
	Description   string  `json:"description"`
	Customer      *string `json:"customer"`
	Every         int     `json:"every"`
	Unit          string  `json:"unit"`
	FirstDay      string  `json:"first_day"`
	EstimateHours float64 `json:"estimate_hours"`
	Assignee      *string `json:"assignee"`
	Active        bool    `json:"active"`
}

type preventiveTaskJSON struct {
	ID            int64   `json:"id"`
	Ref           string  `json:"ref"`
	Schedule      int64   `json:"schedule_id"`
	Title         string  `json:"title"`
	DueDay        string  `json:"due_day"`
	Status        string  `json:"status"`
	Customer      *string `json:"customer"`
	Assignee      *string `json:"assignee"`
	EstimateHours float64 `json:"estimate_hours"`
	DoneBy        string  `json:"done_by"`
	Note          string  `json:"note"`
}

// seedPreventive schedules a weekly access review of ACME's production (from a past Monday, so
// the next 8 weeks hold occurrences whatever the day) and returns the schedule's path and the
// status path of its first occurrence.
func (e *env) seedPreventive() (schedule, status string) {
	e.t.Helper()
	var s preventiveScheduleJSON
	e.do("ops", "POST", "/api/v1/preventive/schedules", map[string]any{"kind": "access_review", "title": "Secret of ACME review",
		"description": "internal: check ACME's VPN", "customer": "ACME", "every": 1, "unit": "weeks", "first_day": "2026-01-05",
		"estimate_hours": 2, "level": "N2", "assignee": "n2@vendor.example"}).want(e.t, http.StatusCreated, &s)
	var list struct{ Items []preventiveTaskJSON }
	e.do("ops", "GET", "/api/v1/preventive/tasks?customer=ACME", nil).want(e.t, http.StatusOK, &list)
	if len(list.Items) == 0 {
		e.t.Fatal("the seeded schedule made no occurrence")
	}
	return "/api/v1/preventive/schedules/" + strconv.FormatInt(s.ID, 10),
		"/api/v1/preventive/tasks/" + strconv.FormatInt(list.Items[0].ID, 10) + "/status"
}

func TestPreventiveAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		paris, _ := time.LoadLocation("Europe/Paris")
		db.Now = func() time.Time { return time.Date(2026, 12, 21, 10, 0, 0, 0, paris) } // a Monday
		path := "/api/v1/preventive/schedules"
		// 400 unreadable, 422 naming the field, 403 for agents.
		e.do("ops", "POST", path, `{"kind": `).problem(t, http.StatusBadRequest, "")
		base := func() map[string]any {
			return map[string]any{"kind": "certificate_renewal", "title": "Renew TLS", "every": 1, "unit": "weeks",
				"first_day": "2026-12-25", "level": "N1", "estimate_hours": 1.5}
		}
		bad := []struct {
			key   string
			value any
			field string
		}{
			{"kind", "backup", "kind"}, {"unit", "days", "unit"}, {"every", 0, "every"}, {"first_day", "25/12/2026", "first_day"},
			{"level", "N9", "level"}, {"customer", "NOPE", "customer"}, {"assignee", "alice@acme.example", "assignee"},
		}
		for _, b := range bad {
			body := base()
			body[b.key] = b.value
			e.do("ops", "POST", path, body).problem(t, http.StatusUnprocessableEntity, b.field)
		}
		e.do("n1", "POST", path, base()).problem(t, http.StatusForbidden, "")

		var s preventiveScheduleJSON
		e.do("ops", "POST", path, base()).want(t, http.StatusCreated, &s)
		if s.Customer != nil || s.Every != 1 || !s.Active {
			t.Fatalf("schedule = %+v", s)
		}
		var tasks struct{ Items []preventiveTaskJSON }
		e.do("n1", "GET", "/api/v1/preventive/tasks?from=2026-12-01&to=2027-01-10", nil).want(t, http.StatusOK, &tasks)
		// Christmas and New Year's Day are holidays of the default calendar: the Mondays after.
		if len(tasks.Items) != 3 || tasks.Items[0].DueDay != "2026-12-28" || tasks.Items[1].DueDay != "2027-01-04" ||
			tasks.Items[2].DueDay != "2027-01-08" || tasks.Items[0].Ref != "PV-"+strconv.FormatInt(tasks.Items[0].ID, 10) {
			t.Fatalf("occurrences = %+v", tasks.Items)
		}
		e.do("n1", "GET", "/api/v1/preventive/tasks?from=tomorrow", nil).problem(t, http.StatusUnprocessableEntity, "from")

		// Moves: a skip needs a note; done records who.
		first := "/api/v1/preventive/tasks/" + strconv.FormatInt(tasks.Items[0].ID, 10) + "/status"
		e.do("n1", "POST", first, map[string]any{"status": "skipped"}).problem(t, http.StatusUnprocessableEntity, "note")
		var moved preventiveTaskJSON
		e.do("n1", "POST", first, map[string]any{"status": "done", "note": "renewed"}).want(t, http.StatusOK, &moved)
		if moved.Status != "done" || moved.DoneBy != "n1@vendor.example" || moved.Note != "renewed" {
			t.Fatalf("moved = %+v", moved)
		}
		e.do("n1", "POST", first, map[string]any{"status": "todo"}).problem(t, http.StatusUnprocessableEntity, "status")
		e.do("n1", "POST", "/api/v1/preventive/tasks/999999/status", map[string]any{"status": "done"}).problem(t, http.StatusNotFound, "")

		// The plan lists the open occurrences as kind "preventive".
		var p struct {
			Items []struct {
				Kind, Ref string
				Terms     []struct{ Name string }
			}
		}
		e.do("n1", "GET", "/api/v1/plan?domain=certificate_renewal", nil).want(t, http.StatusOK, &p)
		if len(p.Items) == 0 || p.Items[0].Kind != "preventive" || p.Items[0].Ref != "PV-"+strconv.FormatInt(tasks.Items[1].ID, 10) ||
			p.Items[0].Terms[0].Name != "preventive" {
			t.Fatalf("plan = %+v", p.Items)
		}

		// PATCH: a new interval re-plans the future occurrences; the done one stays.
		sp := path + "/" + strconv.FormatInt(s.ID, 10)
		e.do("ops", "PATCH", sp, `{"every": `).problem(t, http.StatusBadRequest, "")
		e.do("ops", "PATCH", sp, map[string]any{"unit": "years"}).problem(t, http.StatusUnprocessableEntity, "unit")
		e.do("n1", "PATCH", sp, map[string]any{"every": 2}).problem(t, http.StatusForbidden, "")
		e.do("ops", "PATCH", path+"/999999", map[string]any{"every": 2}).problem(t, http.StatusNotFound, "")
		e.do("ops", "PATCH", sp, map[string]any{"every": 2, "assignee": "me"}).want(t, http.StatusOK, &s)
		if s.Every != 2 || s.Assignee == nil || *s.Assignee != "ops@vendor.example" {
			t.Fatalf("patched = %+v", s)
		}
		e.do("n1", "GET", "/api/v1/preventive/tasks?from=2026-12-01&to=2027-01-10", nil).want(t, http.StatusOK, &tasks)
		if len(tasks.Items) != 2 || tasks.Items[0].Status != "done" || tasks.Items[1].DueDay != "2027-01-08" {
			t.Fatalf("after the patch = %+v", tasks.Items)
		}

		// A customer reads their own schedules without the team's fields.
		e.seedPreventive()
		var own struct{ Items []preventiveScheduleJSON }
		e.do("alice", "GET", path, nil).want(t, http.StatusOK, &own)
		if len(own.Items) != 1 || own.Items[0].Description != "" || own.Items[0].Assignee != nil || own.Items[0].EstimateHours != 0 {
			t.Fatalf("Alice's schedules = %+v", own.Items)
		}
	})
}
