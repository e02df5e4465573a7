package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserProject is the scenario in a real browser: a project manager creates a
// project from the default template; the customer finds the prerequisite they owe in the portal
// and submits it with a text and a file chosen in the evidence form; Ops sees it with its file
// on the project's page, validates it, sees the gate refused while items are open, closes the
// pre-framing gate once they are complete (the others are waived through the store), and the
// timeline shows the phase closed. It takes the documentation's screenshot.
func TestBrowserProject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newProjectSite(t, db)
		ws := startSite(t, db)
		b := newBrowser(t, ws)
		b.login(f.pm.Email)
		b.open("/projects/new")
		if got := b.eval(`document.getElementById("project-template").value`); got != "default" {
			t.Errorf("template preselected: %q", got)
		}
		b.do(chromedp.SetValue(chromedp.ID("project-customer"), itoa(f.acme.ID)),
			chromedp.SendKeys(chromedp.ID("project-name"), "ACME go-live"),
			chromedp.SetValue(chromedp.ID("project-target_date"), "2027-06-30"),
			chromedp.Click(chromedp.CSS(`input[name="environments"][value="`+itoa(f.acmeEnv.ID)+`"]`)))
		b.load(chromedp.Click(chromedp.ID("project-create")))
		b.wantText("h1", "ACME go-live", "On track")
		path := b.eval(`location.pathname`)
		if !strings.HasPrefix(path, "/projects/") {
			t.Fatalf("after creating: %s", path)
		}
		ps, err := db.ListProjects(as(f.pm), opsdesk.ProjectFilter{})
		must(t, err)
		items, err := db.Items(as(f.pm), ps[0].ID)
		must(t, err)
		var pre []*opsdesk.Item
		for _, it := range items {
			if it.PhaseCode == opsdesk.PhasePreframing {
				pre = append(pre, it)
			}
		}
		// The customer finds what they owe in the portal and submits the target architecture with a file.
		b.load(chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
		b.login(f.alice.Email)
		b.open("/my-projects")
		b.load(chromedp.Click(chromedp.CSS(`#my-projects a[href="/my-projects/` + itoa(ps[0].ID) + `"]`)))
		first := "#item-" + itoa(pre[0].ID)
		b.wantText(first, pre[0].TitleEN)
		diagram := filepath.Join(t.TempDir(), "architecture-v3.txt")
		must(t, os.WriteFile(diagram, []byte("web → app → db, two zones, HA on the app tier"), 0o644))
		evidence := first + ` form[action$="/evidence"]`
		b.do(chromedp.SendKeys(chromedp.CSS(evidence+` textarea[name="evidence"]`), "architecture diagram v3"),
			chromedp.SetUploadFiles(chromedp.CSS(evidence+` input[type="file"]`), []string{diagram}))
		b.load(chromedp.Click(chromedp.CSS(evidence + ` button[type="submit"]`)))
		b.wantText(first, "submitted", "architecture diagram v3", "architecture-v3.txt", "alice@acme.example")
		it, err := db.Item(as(f.alice), ps[0].ID, pre[0].ID)
		must(t, err)
		if it.Status != opsdesk.ItemSubmitted || len(it.Attachments) != 1 || it.Attachments[0].Name != "architecture-v3.txt" {
			t.Fatalf("after the customer's submission: %s %+v", it.Status, it.Attachments)
		}

		b.load(chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)))
		b.login(f.ops.Email)
		b.open(path)
		b.wantText(first, "Submitted", "architecture diagram v3", "alice@acme.example", "architecture-v3.txt")
		b.load(chromedp.Click(chromedp.CSS(first + " form[action$=\"/validate\"] button")))
		b.wantText(first, "Validated", "ops@vendor.example")
		// The gate holds while items are open: the refusal names them.
		resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS("#close-preframing button")))
		if err != nil || resp.Status != 409 {
			t.Fatalf("gate with open items: %v, %v", resp, err)
		}
		b.wantText("#phase-preframing", "cannot close", "Accesses")
		for _, it := range pre[1:] {
			_, err := db.WaiveItem(as(f.ops), ps[0].ID, it.ID, "hosted by the vendor")
			must(t, err)
		}
		b.open(path)
		b.load(chromedp.Click(chromedp.CSS("#close-preframing button")))
		b.wantText("#phase-preframing", "Closed", "ops@vendor.example")
		if n := b.eval(`String(document.querySelectorAll("#timeline-section g.row.level-1.state-closed").length)`); n != "1" {
			t.Errorf("closed phases on the timeline: %s", n)
		}
		if n := b.eval(`String(document.querySelectorAll("#timeline-section line.today").length)`); n != "1" {
			t.Errorf("today lines: %s", n)
		}
		if db.Dialect() == store.SQLite {
			browsertest.Screenshot(t, b.ctx, "project")
		}
		b.noScriptErrors()
	})
}
