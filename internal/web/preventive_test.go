package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestPreventivePages: the ops manager schedules preventive work (a refused form keeps its
// input), agents see it and its occurrences but not the form, move an occurrence (a skip needs
// a note), the plan links the occurrence, the pages speak French, and customers are refused.
func TestPreventivePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		ops := ws.client()
		ops.login(d.ops.Email, password)
		p := ops.get("/preventive").want(t, http.StatusOK)
		if !strings.Contains(p.body, `href="/preventive"`) || !strings.Contains(p.body, "Preventive work") {
			t.Error("no Preventive work link in the navigation")
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		today := time.Now().In(paris).Format(time.DateOnly)
		values := url.Values{"kind": {"certificate_renewal"}, "title": {""}, "customer": {strconv.FormatInt(d.acme.ID, 10)},
			"every": {"1"}, "unit": {"months"}, "first_day": {today}, "estimate_hours": {"2,5"}, "level": {"N1"}}
		p = ops.submit("/preventive", "/preventive/schedules", values).want(t, http.StatusUnprocessableEntity)
		if attr(byID(p.doc, "pv-first_day"), "value") != today || !strings.Contains(p.body, "is required") {
			t.Errorf("the failed form lost its input: %s", p.body)
		}
		values.Set("title", "Renew ACME certificates")
		p = ops.follow(ops.submit("/preventive", "/preventive/schedules", values))
		p.wantText(t, "preventive-schedules", "Renew ACME certificates", "ACME", "every 1 month(s)")
		scheds, err := db.PreventiveSchedules(as(d.ops), 0)
		if err != nil || len(scheds) != 1 || scheds[0].EstimateHours != 2.5 || scheds[0].CustomerID != d.acme.ID {
			t.Fatalf("stored schedules = %+v, %v", scheds, err)
		}
		tasks, err := db.PreventiveTasks(as(d.ops), store.PreventiveTaskFilter{})
		if err != nil || len(tasks) == 0 {
			t.Fatalf("occurrences = %v, %v", tasks, err)
		}
		ref := store.PreventiveRef(tasks[0].ID)
		p.wantText(t, "preventive-upcoming", ref)

		// Editing: the form comes prefilled; deactivating is a checkbox.
		edit := "/preventive?edit=" + strconv.FormatInt(scheds[0].ID, 10)
		p = ops.get(edit).want(t, http.StatusOK)
		if attr(byID(p.doc, "pv-title"), "value") != "Renew ACME certificates" {
			t.Error("the edit form is not prefilled")
		}
		ops.follow(ops.submit(edit, "/preventive/schedules/"+strconv.FormatInt(scheds[0].ID, 10), url.Values{"title": {"ACME certificates"}}))
		if s, _ := db.PreventiveSchedule(as(d.ops), scheds[0].ID); s.Title != "ACME certificates" || !s.Active {
			t.Errorf("after the edit: %+v", s)
		}

		// An agent reads, moves occurrences, and is not offered the schedule form.
		agent := ws.client()
		agent.login(d.agent.Email, password)
		p = agent.get("/preventive").want(t, http.StatusOK)
		if strings.Contains(p.body, `action="/preventive/schedules"`) {
			t.Error("an agent is offered the schedule form")
		}
		agent.post("/preventive/schedules", url.Values{"csrf": {agent.csrf()}, "title": {"x"}}).want(t, http.StatusForbidden)
		task := "/preventive/tasks/" + strconv.FormatInt(tasks[0].ID, 10)
		p = agent.get(task).want(t, http.StatusOK)
		p.wantText(t, "preventive-task", "Certificate renewal", "ACME", tasks[0].DueDay, "To do")
		p = agent.post(task+"/status", url.Values{"csrf": {agent.csrf()}, "status": {"skipped"}, "note": {""}}).
			want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(p.body, "say why the occurrence is skipped") {
			t.Errorf("no message for the missing note: %s", p.body)
		}
		agent.follow(agent.post(task+"/status", url.Values{"csrf": {agent.csrf()}, "status": {"in_progress"}}))
		p = agent.follow(agent.post(task+"/status", url.Values{"csrf": {agent.csrf()}, "status": {"done"}, "note": {"renewed until 2028"}}))
		p.wantText(t, "preventive-task", "Done", "renewed until 2028", d.agent.Email)
		if got, _ := db.PreventiveTask(as(d.ops), tasks[0].ID); got.Status != opsdesk.PreventiveDone || got.AssigneeID != d.agent.ID {
			t.Errorf("stored occurrence = %+v", got)
		}

		// The plan links an open occurrence to its page.
		if len(tasks) > 1 {
			p = agent.get("/plan").want(t, http.StatusOK)
			if !strings.Contains(p.body, `href="/preventive/tasks/`+strconv.FormatInt(tasks[1].ID, 10)+`"`) {
				t.Error("the plan does not link the open occurrence")
			}
		}

		// In French.
		fr := ws.client()
		fr.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		fr.login(d.agent.Email, password)
		p = fr.get("/preventive").want(t, http.StatusOK)
		p.wantText(t, "h1", "Travaux préventifs")
		p.wantText(t, "preventive-schedules", "Renouvellement de certificat", "tous les 1 mois")

		// Customers reach none of it.
		alice := ws.client()
		alice.login(d.alice.Email, password)
		for _, path := range []string{"/preventive", task} {
			if st := alice.get(path).status; st != http.StatusForbidden && st != http.StatusNotFound {
				t.Errorf("customer GET %s = %d", path, st)
			}
		}
		if st := alice.post(task+"/status", url.Values{"csrf": {alice.csrf()}, "status": {"todo"}}).status; st != http.StatusForbidden && st != http.StatusNotFound {
			t.Errorf("customer POST status = %d", st)
		}
	})
}
