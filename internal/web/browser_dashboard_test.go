package web_test

import (
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserDashboard is the scenario in a real browser: the ops manager opens the
// dashboard from the navigation (March 2027, the injected clock's month: four requests), filters
// it by ACME (three of them), downloads the volume table's CSV in the page's session and finds
// ACME's count in it, then follows the monthly service report link to ACME's report. It takes
// the documentation's screenshot.
func TestBrowserDashboard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := dashDesk(t, db)
		ws := startSite(t, db)
		b := newBrowser(t, ws)
		b.login(d.ops.Email)
		b.load(chromedp.Click(chromedp.CSS(`nav a[href="/dashboard"]`)))
		b.wantText("h1", "Dashboard", "March 2027")
		created := `table[data-table="volume"] tr[data-figure="tickets_created"] td`
		b.wantText(created, "4")
		if n := b.eval(`String(document.querySelectorAll("svg.chart[role=img]").length)`); n != "3" {
			t.Errorf("trend charts: %s, want 3", n)
		}

		// Filter by one customer: the figures become ACME's, and the URL keeps the filter.
		b.do(chromedp.SetValue(chromedp.ID("dashboard-customer"), "ACME"))
		b.load(chromedp.Click(chromedp.CSS(`#dashboard-filter button[type="submit"]`)))
		if got := b.text(created); strings.TrimSpace(got) != "3" {
			t.Fatalf("ACME's tickets created: %q, want 3", got)
		}
		if q := b.eval(`location.search`); !strings.Contains(q, "customer=ACME") {
			t.Errorf("the filter is not in the URL: %s", q)
		}

		// The CSV link of the volume table, fetched in the page's session.
		href := b.eval(`document.querySelector('a[data-csv="volume"]').getAttribute("href")`)
		if !strings.Contains(href, "customer=ACME") || !strings.HasPrefix(href, "/dashboard.csv?") {
			t.Fatalf("CSV link %q", href)
		}
		body, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`fetch(%q).then(async r => r.headers.get("Content-Type") + "\n" + r.headers.get("Content-Disposition") + "\n" + await r.text())`, href),
			chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		ct, rest, _ := strings.Cut(body, "\n")
		cd, data, _ := strings.Cut(rest, "\n")
		if ct != "text/csv; charset=utf-8" || !strings.Contains(cd, "opsdesk-volume-2027-03-01-2027-03-31.csv") {
			t.Errorf("CSV headers: %q, %q", ct, cd)
		}
		recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("CSV: %v\n%s", err, data)
		}
		if len(recs) == 0 || !slices.Equal(recs[0], []string{"indicator", "count"}) ||
			!slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, []string{"tickets_created", "3"}) }) {
			t.Errorf("CSV rows: %q", recs)
		}

		if db.Dialect() == store.SQLite {
			browsertest.Screenshot(t, b.ctx, "dashboard")
		}

		// The customer's monthly service report, for the month of the period.
		b.wantText("#dashboard-report", "Monthly service report")
		b.load(chromedp.Click(chromedp.CSS(`#dashboard-report a`)))
		if p := b.eval(`location.pathname + location.search`); p != fmt.Sprintf("/customers/%d/report?month=2027-03", d.acme.ID) {
			t.Errorf("report link led to %s", p)
		}
		b.wantText("main", d.acme.Name)
		b.noScriptErrors()
	})
}
