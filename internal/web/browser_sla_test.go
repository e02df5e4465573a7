package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserSLAAdmin drives a real browser through the service-level pages: a calendar
// imported from a file chosen in the form, its holiday preview, and the monthly report, of
// which it takes the documentation's screenshots.
func TestBrowserSLAAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.SeedDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db)
		if err := db.SeedSLADefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		slaMonth(t, db, f)
		ws := startSite(t, db)
		b := newBrowser(t, ws)
		b.login(f.ops.Email)

		file := filepath.Join(t.TempDir(), "lyon.json")
		if err := os.WriteFile(file, []byte(lyonCalendar), 0o644); err != nil {
			t.Fatal(err)
		}
		b.open("/admin/calendars")
		b.do(chromedp.Click(chromedp.CSS("#import > summary")), chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{file}))
		b.load(chromedp.Click(chromedp.CSS(`#import button[type="submit"]`)))
		b.wantText("main", "Calendar imported.", "Support Lyon", "Monday", "08:30–12:00, 13:30–18:00")
		b.open("/admin/calendars")
		b.wantText("#calendars", "Support Lyon", store.FrenchCalendarName, "24/7")

		french := calendarByName(t, db, store.FrenchCalendarName)
		b.open("/admin/calendars/" + itoa(french.ID) + "?year=2027")
		b.wantText("#holiday-list", "2027-03-29", "Easter Monday", "2027-05-06", "Ascension Day", "2027-05-17", "Whit Monday", "Wednesday 14 July")
		if db.Dialect() == store.SQLite { // the screenshots once, not per database
			browsertest.Screenshot(t, b.ctx, "sla-calendar")
		}

		b.open("/reports/sla?month=2027-03")
		b.wantText("main", "March 2027", "Acme Industries", "66.7%", "Globex Corporation")
		if db.Dialect() == store.SQLite {
			browsertest.Screenshot(t, b.ctx, "sla-report")
		}
		b.noScriptErrors()
	})
}
