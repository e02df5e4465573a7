package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// planRowForm returns the pin form of the plan row whose data-key is ref, nil when it has none.
func planRowForm(p *page, ref string) *html.Node {
	rows := findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-key") == ref })
	if len(rows) != 1 {
		return nil
	}
	forms := findAll(rows[0], func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/plan/overrides" })
	if len(forms) != 1 {
		return nil
	}
	return forms[0]
}

// TestPlanPagePreventiveOverride: a row of preventive work carries the pin form like a ticket's
// row; the ops manager pins the occurrence from it (refused without a reason, the input kept),
// then moves it; the rows follow, the row shows the override and its reason, the history names
// the occurrence; once the occurrence is done, its stale form is refused, saying why above the
// list.
func TestPlanPagePreventiveOverride(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		paris, _ := time.LoadLocation("Europe/Paris")
		// Due in about six weeks: 60 points, below both tickets.
		first := time.Now().In(paris).AddDate(0, 0, 40).Format(time.DateOnly)
		s := &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventiveAudit, Title: "ACME audit", CustomerID: d.acme.ID, Every: 3,
			Unit: opsdesk.UnitMonths, FirstDay: first, EstimateHours: 4, Level: opsdesk.LevelN2}
		if err := db.CreatePreventiveSchedule(as(d.ops), s); err != nil {
			t.Fatal(err)
		}
		occ, err := db.PreventiveTasks(as(d.ops), store.PreventiveTaskFilter{ScheduleID: s.ID})
		if err != nil || len(occ) != 1 {
			t.Fatalf("occurrences = %v, %v", occ, err)
		}
		pv, id := store.PreventiveRef(occ[0].ID), strconv.FormatInt(occ[0].ID, 10)

		ops := ws.client()
		ops.login(d.ops.Email, password)
		p := ops.get("/plan").want(t, http.StatusOK)
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key, d.globexReq.Key, pv}) {
			t.Fatalf("rows = %v", got)
		}
		f := planRowForm(p, pv)
		if f == nil {
			t.Fatalf("the preventive row %s has no pin form", pv)
		}
		v := formValues(f)
		if v.Get("kind") != "preventive" || v.Get("id") != id || v.Get("csrf") == "" {
			t.Fatalf("the preventive row's form sends %v", v)
		}
		for _, field := range []string{"action", "position", "reason"} {
			fid := "ov-preventive-" + id + "-" + field
			if byID(f, fid) == nil || len(findAll(p.doc, func(n *html.Node) bool { return n.Data == "label" && attr(n, "for") == fid })) != 1 {
				t.Errorf("the preventive row's form has no labelled %s", fid)
			}
		}
		agent := ws.client()
		agent.login(d.agent.Email, password)
		if planRowForm(agent.get("/plan").want(t, http.StatusOK), pv) != nil {
			t.Error("an agent is offered the pin form on the preventive row")
		}

		post := func(values url.Values) *page {
			t.Helper()
			f := planRowForm(ops.get("/plan").want(t, http.StatusOK), pv)
			if f == nil {
				t.Fatalf("the preventive row %s has no pin form", pv)
			}
			v := formValues(f)
			for k, vs := range values {
				v[k] = vs
			}
			return ops.post("/plan/overrides", v)
		}
		// Without a reason: refused, the move and position kept at the row's form.
		p = post(url.Values{"action": {"move"}, "position": {"2"}, "reason": {""}}).want(t, http.StatusUnprocessableEntity)
		if attr(byID(p.doc, "ov-preventive-"+id+"-position"), "value") != "2" || !strings.Contains(p.body, `<option value="move" selected>`) || !strings.Contains(p.body, "is required") {
			t.Errorf("the failed preventive form lost its input: %s", p.body)
		}

		p = ops.follow(post(url.Values{"action": {"pin"}, "reason": {"customer audit window"}}))
		if got := p.rows(); !slices.Equal(got, []string{pv, d.acmeReq.Key, d.globexReq.Key}) {
			t.Fatalf("after the pin, rows = %v", got)
		}
		p.wantText(t, "plan", "Pinned by "+d.ops.Email+": customer audit window")
		ovs, err := db.PlanOverrides(as(d.ops))
		if err != nil || len(ovs) != 1 || ovs[0].Override.ID != occ[0].ID {
			t.Fatalf("overrides = %+v, %v", ovs, err)
		}
		if len(findAll(p.doc, func(n *html.Node) bool {
			return n.Data == "form" && attr(n, "action") == "/plan/overrides/"+strconv.FormatInt(ovs[0].ID, 10)+"/remove"
		})) != 1 {
			t.Error("the pinned preventive row offers no removal")
		}

		p = ops.follow(post(url.Values{"action": {"move"}, "position": {"2"}, "reason": {"before the go-live"}}))
		if got := p.rows(); !slices.Equal(got, []string{d.acmeReq.Key, pv, d.globexReq.Key}) {
			t.Fatalf("after the move, rows = %v", got)
		}
		p.wantText(t, "plan", "before the go-live")
		p.wantText(t, "plan-history", "Preventive work "+pv, "customer audit window", "before the go-live", "ended")

		// Done: the occurrence leaves the plan; a form sent from an older page is refused.
		stale := formValues(planRowForm(ops.get("/plan").want(t, http.StatusOK), pv))
		if _, err := db.MovePreventiveTask(as(d.n2), occ[0].ID, opsdesk.PreventiveDone, ""); err != nil {
			t.Fatal(err)
		}
		stale.Set("action", "pin")
		stale.Set("reason", "too late")
		p = ops.post("/plan/overrides", stale).want(t, http.StatusConflict)
		p.wantText(t, "plan-override-error", "preventive "+id+" is no longer open")
		if slices.Contains(p.rows(), pv) {
			t.Errorf("the done occurrence is still a row: %v", p.rows())
		}
		if hist, _ := db.PlanOverrideHistory(as(d.ops)); len(hist) != 2 {
			t.Errorf("history after the refused pin = %d rows, want 2", len(hist))
		}
	})
}
