package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// planOverrideJSON is a pin or move as the API answers it.
type planOverrideJSON struct {
	ID           int64   `json:"id"`
	Kind         string  `json:"kind"`
	ItemID       int64   `json:"item_id"`
	Pin          bool    `json:"pin"`
	Position     int     `json:"position"`
	Reason       string  `json:"reason"`
	By           string  `json:"by"`
	SupersededAt *string `json:"superseded_at"`
}

// TestPlanAPIPreventiveOverrides: the ops manager pins an occurrence of preventive work, then
// moves it, through the API; the plan places it and shows the override's reason; the history
// keeps both. An override names an open item: a done occurrence is a conflict, an unknown one
// not found; the occurrence's current move stays in the history once it is done, as a task's.
func TestPlanAPIPreventiveOverrides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		paris, err := time.LoadLocation("Europe/Paris")
		must(t, err)
		now := time.Date(2027, 3, 1, 9, 0, 0, 0, paris) // a Monday, in business hours
		db.Now = func() time.Time { return now }
		blocking := e.file("alice", map[string]any{"environment": "prod", "severity": "blocking", "subject": "Down", "impact": "all users blocked since 8:50, no order can be taken"})
		minor := e.file("bob", map[string]any{"subject": "Typo"})
		e.refresh(blocking.Number, minor.Number)
		now = now.Add(2 * time.Hour)
		// A quarterly audit from Wednesday 14 April: one occurrence within the 8 weeks planned.
		var s preventiveScheduleJSON
		e.do("ops", "POST", "/api/v1/preventive/schedules", map[string]any{"kind": "audit", "title": "ACME audit", "customer": "ACME",
			"every": 3, "unit": "months", "first_day": "2027-04-14", "estimate_hours": 4, "level": "N2"}).want(t, http.StatusCreated, &s)
		var occ struct{ Items []preventiveTaskJSON }
		e.do("ops", "GET", "/api/v1/preventive/tasks?customer=ACME", nil).want(t, http.StatusOK, &occ)
		if len(occ.Items) != 1 || occ.Items[0].DueDay != "2027-04-14" {
			t.Fatalf("occurrences = %+v", occ.Items)
		}
		pv := occ.Items[0]

		plan := func() ([]string, []planRowJSON) {
			t.Helper()
			var p planJSON
			e.do("n1", "GET", "/api/v1/plan", nil).want(t, http.StatusOK, &p)
			var refs []string
			for _, it := range p.Items {
				refs = append(refs, it.Ref)
			}
			return refs, p.Items
		}
		// Scores: the breached blocking prod ticket first, the minor ticket, the audit (60, due in
		// six weeks).
		natural := []string{blocking.Number, minor.Number, pv.Ref}
		if got, items := plan(); !slices.Equal(got, natural) || items[2].Kind != "preventive" || items[2].ID != pv.ID {
			t.Fatalf("plan = %v %+v, want %v", got, items, natural)
		}

		pin := map[string]any{"kind": "preventive", "id": pv.ID, "pin": true, "reason": "customer audit window"}
		e.do("n1", "POST", "/api/v1/plan/overrides", pin).want(t, http.StatusForbidden, nil)
		var pinned planOverrideJSON
		e.do("ops", "POST", "/api/v1/plan/overrides", pin).want(t, http.StatusCreated, &pinned)
		if pinned.Kind != "preventive" || pinned.ItemID != pv.ID || !pinned.Pin || pinned.By != "ops@vendor.example" {
			t.Fatalf("created pin = %+v", pinned)
		}
		got, items := plan()
		if !slices.Equal(got, []string{pv.Ref, blocking.Number, minor.Number}) || items[0].Override == nil ||
			items[0].Override.ID != pinned.ID || items[0].Override.Reason != "customer audit window" || !items[0].Override.Pin {
			t.Fatalf("pinned plan = %v %+v", got, items)
		}

		var moved planOverrideJSON
		e.do("root", "POST", "/api/v1/plan/overrides", map[string]any{"kind": "preventive", "id": pv.ID, "position": 2,
			"reason": "before the go-live"}).want(t, http.StatusCreated, &moved)
		got, items = plan()
		if !slices.Equal(got, []string{blocking.Number, pv.Ref, minor.Number}) || items[1].Override == nil ||
			items[1].Override.ID != moved.ID || items[1].Override.Reason != "before the go-live" || items[1].Override.By != "root@vendor.example" {
			t.Fatalf("moved plan = %v %+v", got, items)
		}

		history := func() []planOverrideJSON {
			t.Helper()
			var h struct{ Items []planOverrideJSON }
			e.do("n1", "GET", "/api/v1/plan/overrides", nil).want(t, http.StatusOK, &h)
			return h.Items
		}
		h := history()
		if len(h) != 2 || h[0].ID != moved.ID || h[0].Kind != "preventive" || h[0].ItemID != pv.ID || h[0].Position != 2 || h[0].SupersededAt != nil ||
			h[1].ID != pinned.ID || h[1].Kind != "preventive" || h[1].Reason != "customer audit window" || h[1].SupersededAt == nil {
			t.Fatalf("history = %+v", h)
		}

		// Refused: an unknown kind, an unknown occurrence, a done one.
		e.do("ops", "POST", "/api/v1/plan/overrides", map[string]any{"kind": "problem", "id": pv.ID, "pin": true, "reason": "x"}).
			problem(t, http.StatusUnprocessableEntity, "kind")
		e.do("ops", "POST", "/api/v1/plan/overrides", map[string]any{"kind": "preventive", "id": pv.ID + 1000, "pin": true, "reason": "x"}).
			problem(t, http.StatusNotFound, "")
		e.do("n2", "POST", "/api/v1/preventive/tasks/"+strconv.FormatInt(pv.ID, 10)+"/status", map[string]any{"status": "done"}).
			want(t, http.StatusOK, nil)
		e.do("ops", "POST", "/api/v1/plan/overrides", pin).problem(t, http.StatusConflict, "id")
		if got, _ := plan(); !slices.Equal(got, []string{blocking.Number, minor.Number}) {
			t.Errorf("plan after the audit is done = %v", got)
		}
		if h := history(); len(h) != 2 || h[0].ID != moved.ID || h[0].SupersededAt != nil {
			t.Errorf("history after the audit is done = %+v", h)
		}
	})
}
