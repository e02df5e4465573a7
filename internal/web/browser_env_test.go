package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserEnvironment has an agent open a customer's production page in a real browser: the
// current versions, the twin-check warning, the deployment timeline and the availability chart
// (probe results recorded through the scheduler's store methods); then records a deployment the
// promotion path refuses, and sees why next to the version. It takes the documentation's
// screenshot.
func TestBrowserEnvironment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvSite(t, db)
		ops := as(f.ops)
		must(t, db.SetComponentVersion(ops, f.acmeEnv.ID, "postgresql", "16.2"))
		must(t, db.SetComponentVersion(ops, f.pre.ID, "postgresql", "16.4"))
		must(t, db.RecordDeployment(ops, &opsdesk.Deployment{EnvironmentID: f.acmeEnv.ID, Component: "app", ToVersion: "4.1.0",
			FromVersion: "4.0.3", Outcome: opsdesk.DeploySuccess, EmergencyReason: "payment outage, hotfix",
			StartedAt: f.now.Add(-50 * time.Hour), FinishedAt: f.now.Add(-49 * time.Hour)}))
		ws := startSite(t, db)
		b := newBrowser(t, ws)
		b.login(f.agent.Email)
		b.open(envPath(f.acmeEnv))

		b.wantText("h1", "acme-prod", "Production")
		b.wantText("#versions", "app", "4.1.0", "postgresql", "16.2")
		b.wantText("#twin", "Pre-production is no longer a twin of production", "acme-preprod", "4.2.0", "16.4")
		b.wantText("#deployments", "4.1.0", "4.2.0", "Planned", "Emergency", "payment outage, hotfix")
		b.wantText("#availability", "Last 24 hours", "95.83%", "Response time, last 24 hours")
		// The chart is drawn: a line of real width, and the failures marked.
		if w := b.eval(`String(Math.round(document.querySelector("#response-chart polyline").getBBox().width))`); w == "0" || w == "" {
			t.Errorf("the response-time line has width %q", w)
		}
		if n := b.eval(`String(document.querySelectorAll("#response-chart circle.fail").length)`); n == "0" {
			t.Error("no failure marked on the chart")
		}
		if db.Dialect() == store.SQLite {
			browsertest.Screenshot(t, b.ctx, "environment")
		}

		// A version not yet on the preprod is refused, with the preprod named next to the field.
		b.do(chromedp.Click(chromedp.CSS("#deploy-form > summary")),
			chromedp.SendKeys(chromedp.ID("deploy-component"), "app"), chromedp.SendKeys(chromedp.ID("deploy-version"), "4.3.0"))
		resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.ID("deploy-submit")))
		if err != nil || resp.Status != 409 {
			t.Fatalf("refused deployment: %v, %v", resp, err)
		}
		b.wantText("#deploy-version-error", "acme-preprod")
		if got := b.eval(`document.getElementById("deploy-version").value`); got != "4.3.0" {
			t.Errorf("the version typed is lost: %q", got)
		}
		b.noScriptErrors()
	})
}
