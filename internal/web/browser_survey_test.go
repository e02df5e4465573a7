package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserSurveyLink follows the mailed "Yes, it is solved" link in a real browser, without a
// session: the page opens with the answer ticked, the requester rates and sends it, and the
// same-origin form POST passes the cross-origin protection (the public form has no CSRF token).
// The database half is covered on both engines by the other survey tests; one is enough here.
func TestBrowserSurveyLink(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	d := newDesk(t, db)
	tok := resolvedWithLink(t, db, d.agent, d.acmeReq)
	ws := startSite(t, db)
	b := newBrowser(t, ws)

	b.open("/survey/" + tok + "?solved=yes")
	b.wantText("main", d.acmeReq.Key, "Le problème est-il réglé ?", "Rebuilt the export index.")
	if got := b.eval(`document.getElementById("survey-solved-yes").checked ? "yes" : "no"`); got != "yes" {
		t.Fatalf("the mailed answer is not ticked")
	}
	b.do(chromedp.Click(chromedp.ID("survey-rating-5")), chromedp.SendKeys(chromedp.ID("survey-comment"), "Parfait, merci"))
	browsertest.Screenshot(t, b.ctx, "survey")
	b.load(chromedp.Click(chromedp.ID("survey-submit")))
	b.wantText("#survey-thanks", "Merci : votre réponse est enregistrée.")
	b.noScriptErrors()

	if st := statusOf(t, db, d.acmeReq.Key); st != opsdesk.StatusClosed {
		t.Fatalf("status after the browser's answer = %s", st)
	}
}
