package web_test

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserMonthlyReport opens a customer's monthly report in a real browser, takes the
// documentation's screenshot, then emulates print media (what "Save as PDF" renders): the menus,
// the header, the month links and the send button are gone, each part after the summary starts
// on a new page, and the text is black.
func TestBrowserMonthlyReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, keys, _ := monthlyDesk(t, db)
		ws := startSite(t, db)
		b := newBrowser(t, ws)
		b.login(f.ops.Email)
		b.open("/customers/" + itoa(f.acme.ID) + "/report?month=2027-03")
		b.wantText("mr-tickets", keys[0], keys[1], "Export fails")
		style := func(sel, prop string) string {
			t.Helper()
			return b.eval(`getComputedStyle(document.querySelector("` + sel + `")).getPropertyValue("` + prop + `")`)
		}
		for _, sel := range []string{"nav.side", "header.top", "#mreport-send", ".pager"} {
			if got := style(sel, "display"); got == "none" {
				t.Errorf("on screen, %s is hidden", sel)
			}
		}
		if db.Dialect() == store.SQLite {
			browsertest.Screenshot(t, b.ctx, "monthly_report")
		}

		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		for _, sel := range []string{"nav.side", "header.top", "footer.foot", "#mreport-send", ".pager", ".mreport-head .hint"} {
			if got := style(sel, "display"); got != "none" {
				t.Errorf("printed, %s shows (display %s)", sel, got)
			}
		}
		for _, c := range []struct{ sel, want string }{
			{"#mr-summary", "avoid"}, {"#mr-tickets", "page"}, {"#mr-sla", "page"}, {"#mr-availability", "page"},
			{"#mr-deployments", "page"}, {"#mr-actions", "page"},
		} {
			if got := style(c.sel, "break-before"); got != c.want {
				t.Errorf("printed, %s breaks before: %q, want %q", c.sel, got, c.want)
			}
		}
		for _, sel := range []string{".mreport dt", ".mreport .sub", ".mreport td"} {
			if got := style(sel, "color"); got != "rgb(0, 0, 0)" {
				t.Errorf("printed, %s is %s, want black", sel, got)
			}
		}
	})
}
