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
	"golang.org/x/net/html"
)

// qualityRow is the text of the list's row of target id ("" when absent).
func qualityRow(p *page, id int64) string {
	rows := findAll(p.doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-id") == strconv.FormatInt(id, 10) })
	if len(rows) == 0 {
		return ""
	}
	return textOf(rows[0])
}

// TestQualityTargetsPage: the ops manager sees the seeded targets, adds one (a French decimal
// comma accepted; a bad number or a severity on availability refused next to the field), sees a
// missed target's result with the link to its proposed action, and deactivates a target on its
// page. Agents are refused, a form without its token too.
func TestQualityTargetsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		now := time.Date(2027, 4, 5, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		const list = "/admin/quality-targets"
		agent := ws.client()
		agent.login(d.agent.Email, password)
		agent.get(list).want(t, http.StatusForbidden)
		ops := ws.client()
		ops.login(d.ops.Email, password)
		seeded, err := db.QualityTargets(system)
		if err != nil || len(seeded) != 2 {
			t.Fatalf("seeded targets %+v %v", seeded, err)
		}
		p := ops.get(list).want(t, http.StatusOK)
		if row := qualityRow(p, seeded[0].ID); !strings.Contains(row, "Take-charge SLA compliance") || !strings.Contains(row, "≥ 95 %") ||
			!strings.Contains(row, "Blocking anomaly") || !strings.Contains(row, "not evaluated") {
			t.Errorf("seeded take-charge row = %q", row)
		}
		ops.header.Set("Accept-Language", "fr")
		p = ops.get(list).want(t, http.StatusOK)
		if row := qualityRow(p, seeded[1].ID); !strings.Contains(row, "Satisfaction (note moyenne)") || !strings.Contains(row, "≥ 4,2 / 5") ||
			!strings.Contains(row, "Mensuel") || !strings.Contains(row, "non évalué") {
			t.Errorf("seeded satisfaction row in French = %q", row)
		}
		ops.header.Del("Accept-Language")

		add := url.Values{"indicator": {"reopen"}, "severity": {""}, "customer": {strconv.FormatInt(d.acme.ID, 10)}, "comparator": {"le"},
			"threshold": {"douze"}, "period": {"week"}}
		ops.submit(list, list, add).want(t, http.StatusUnprocessableEntity).wantText(t, "quality-threshold-error", "Enter a number")
		add.Set("threshold", "7,5")
		ops.submit(list, list, add).want(t, http.StatusSeeOther)
		bad := url.Values{"indicator": {"availability"}, "severity": {"blocking"}, "comparator": {"ge"}, "threshold": {"99"}, "period": {"month"}}
		ops.submit(list, list, bad).want(t, http.StatusUnprocessableEntity).wantText(t, "quality-severity-error", "does not apply")
		isCSRFPage(t, ops.post(list, add))
		all, err := db.QualityTargets(system)
		if err != nil || len(all) != 3 {
			t.Fatalf("targets after the form: %+v %v", all, err)
		}
		made := all[2]
		if made.Indicator != opsdesk.QualityReopen || made.Threshold != 7.5 || made.CustomerID != d.acme.ID || made.Period != "week" || !made.Active {
			t.Errorf("added %+v", made)
		}

		// March's satisfaction (one answer rated 1) misses the seeded 4.2: the row says so and
		// links the proposed action.
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, rating)
			VALUES (?, ?, 'answered', ?, ?, 1)`), d.acmeReq.ID, d.acme.ID, time.Date(2027, 3, 9, 0, 0, 0, 0, time.UTC).UnixMilli(),
			time.Date(2027, 4, 9, 0, 0, 0, 0, time.UTC).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		rs, err := db.EvaluateQualityTargets(system, now)
		if err != nil {
			t.Fatal(err)
		}
		var action int64
		for _, r := range rs {
			if r.TargetID == seeded[1].ID {
				action = r.ActionID
			}
		}
		if action == 0 {
			t.Fatalf("no action proposed for the missed satisfaction: %+v", rs)
		}
		p = ops.get(list).want(t, http.StatusOK)
		if row := qualityRow(p, seeded[1].ID); !strings.Contains(row, "missed") || !strings.Contains(row, "1 / 5") || !strings.Contains(row, "2027-03") {
			t.Errorf("satisfaction row = %q", row)
		}
		links := findAll(p.doc, func(n *html.Node) bool {
			return n.Data == "a" && attr(n, "href") == "/actions/"+strconv.FormatInt(action, 10)
		})
		if len(links) != 1 {
			t.Errorf("%d links to the proposed action %d", len(links), action)
		}
		if row := qualityRow(p, made.ID); !strings.Contains(row, "no data") || !strings.Contains(row, "≤ 7.5 %") || !strings.Contains(row, "ACME") {
			t.Errorf("reopen row = %q", row)
		}

		// Deactivated on its page; its results stay listed there.
		page := list + "/" + strconv.FormatInt(made.ID, 10)
		ops.get(page).want(t, http.StatusOK).wantText(t, "quality-results", "no data")
		ops.submit(page, page, url.Values{"active": nil}).want(t, http.StatusSeeOther)
		if got, err := db.QualityTarget(system, made.ID); err != nil || got.Active || got.Threshold != 7.5 {
			t.Errorf("after deactivation: %+v %v", got, err)
		}
		if row := qualityRow(ops.get(list), made.ID); !strings.Contains(row, "inactive") {
			t.Errorf("deactivated row = %q", row)
		}
		ops.get(list+"/999999").want(t, http.StatusNotFound)
		ops.get(list+"/abc").want(t, http.StatusNotFound)
		agent.get(page).want(t, http.StatusForbidden)
	})
}
