package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestRequestList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		var batch []*opsdesk.NewTicket
		for i := range 30 {
			batch = append(batch, &opsdesk.NewTicket{Severity: "question", Category: "other", Subject: "Question " + itoa(int64(i)), Description: "?"})
		}
		if _, err := db.CreateTickets(as(d.alice), batch); err != nil {
			t.Fatal(err)
		}
		resolved := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "mobile", Subject: "Typo on the login page", Description: "d"})
		if _, err := db.Take(as(d.agent), resolved.Key); err != nil {
			t.Fatal(err)
		}
		st := opsdesk.StatusResolved
		if _, err := db.UpdateTicket(as(d.agent), resolved.Key, opsdesk.TicketPatch{Status: &st, Resolution: fixedDraft()}); err != nil {
			t.Fatal(err)
		}
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(d.alice.Email, password)

		// The first page: ACME's requests only, most recently updated first, and a next page.
		p := alice.get("/requests").want(t, http.StatusOK)
		first := p.rows()
		if len(first) != 25 || first[0] != resolved.Key || slices.Contains(first, d.globexReq.Key) {
			t.Fatalf("first page = %v", first)
		}
		p.wantText(t, "list-count", "32")
		if strings.Contains(p.body, "Globex") {
			t.Error("the list shows the other organisation")
		}
		var next string
		for _, a := range byTag(p.doc, "a") {
			if attr(a, "rel") == "next" {
				next = attr(a, "href")
			}
		}
		second := alice.get(next).want(t, http.StatusOK).rows()
		if len(second) != 7 || slices.ContainsFunc(second, func(k string) bool { return slices.Contains(first, k) }) {
			t.Errorf("second page = %v", second)
		}

		// Search by number (with or without the prefix) and by words; filter by status.
		for q, want := range map[string][]string{
			d.acmeReq.Key: {d.acmeReq.Key}, strings.TrimPrefix(d.acmeReq.Key, "OPS-"): {d.acmeReq.Key},
			"typo": {resolved.Key}, d.globexReq.Key: nil, "Globex secret": nil,
		} {
			if got := alice.get("/requests?q="+url.QueryEscape(q)).want(t, http.StatusOK).rows(); !slices.Equal(got, want) {
				t.Errorf("search %q = %v, want %v", q, got, want)
			}
		}
		if got := alice.get("/requests?status=resolved").want(t, http.StatusOK).rows(); !slices.Equal(got, []string{resolved.Key}) {
			t.Errorf("resolved = %v", got)
		}
		if got := alice.get("/requests?status=active&q=invoices").want(t, http.StatusOK).rows(); !slices.Equal(got, []string{d.acmeReq.Key}) {
			t.Errorf("active invoices = %v", got)
		}
		p = alice.get("/requests?cursor=garbage").want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(p.text("main"), "is not a cursor this list gave") {
			t.Errorf("a bad cursor says %q", p.text("main"))
		}
	})
}

func TestRequestConversation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		key := d.acmeReq.Key
		page := "/requests/" + key

		// A reply with an attachment.
		p := alice.submitFiles(page, page+"/reply", url.Values{"body": {"It also fails for the PDF export."}},
			upload{"screen.png", []byte("\x89PNG\r\n\x1a\nxxxx")}).want(t, http.StatusSeeOther)
		p = alice.follow(p)
		p.wantText(t, "timeline", "It also fails for the PDF export.", "screen.png")
		// An empty reply is refused next to the message box.
		p = alice.submitFiles(page, page+"/reply", url.Values{"body": {" "}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text("reply-body-error"); got != "is required" {
			t.Errorf("empty reply: %q", got)
		}

		// The team answers, publicly and in a note; then resolves.
		if _, err := db.Take(as(d.agent), key); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddMessage(as(d.agent), key, "Fixed in release 4.2.1.", false, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddMessage(as(d.agent), key, "Internal: root cause was the cache.", true, nil); err != nil {
			t.Fatal(err)
		}
		resolve(t, db, d.agent, key)
		p = alice.get(page).want(t, http.StatusOK)
		p.wantText(t, "timeline", "Fixed in release 4.2.1.", "Resolved")
		p.wantText(t, "resolution", "Confirm it is solved")
		if strings.Contains(p.body, "root cause") || strings.Contains(p.body, "Internal note") {
			t.Error("the customer sees the internal note")
		}

		// Reopen: a comment is required; it is added as a reply, and the request is open again.
		p = alice.submit(page, page+"/reopen", url.Values{"comment": {""}}).want(t, http.StatusUnprocessableEntity)
		if got := p.text("reopen-comment-error"); got != "is required" || !hasAttr(byTag(byID(p.doc, "resolution"), "details")[0], "open") {
			t.Errorf("reopen without comment: %q", got)
		}
		p = alice.follow(alice.submit(page, page+"/reopen", url.Values{"comment": {"Still broken for credit notes."}}))
		p.wantText(t, "main", "The request is open again.")
		p.wantText(t, "ticket-status", "In progress")
		p.wantText(t, "timeline", "Still broken for credit notes.")
		if tk, _ := db.TicketByKey(as(d.alice), key); tk.Status != opsdesk.StatusOpen || tk.ReopenCount != 1 {
			t.Errorf("after reopening: %s, %d reopenings", tk.Status, tk.ReopenCount)
		}
		// Confirming is only for a resolved request.
		alice.post(page+"/confirm", url.Values{"csrf": {alice.csrf()}}).want(t, http.StatusConflict)

		// Resolved again, then confirmed: closed, no reply box any more.
		resolve(t, db, d.agent, key)
		p = alice.follow(alice.submit(page, page+"/confirm", nil))
		p.wantText(t, "ticket-status", "Closed")
		p.wantText(t, "closed-notice", "This request is closed")
		if byID(p.doc, "reply") != nil {
			t.Error("a closed request still offers a reply form")
		}
		alice.postFiles(page+"/reply", url.Values{"csrf": {alice.csrf()}, "body": {"late"}}).want(t, http.StatusConflict)
	})
}
