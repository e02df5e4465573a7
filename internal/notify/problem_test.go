package notify_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestProblemResolutionMailsRequesters resolves a problem with three linked tickets — Alice's
// (new), Bob's (in progress) and Claire's (closed) — over a real SMTP relay: Alice and Bob each
// get the resolution message once, Claire nothing; resolving again mails nobody.
func TestProblemResolutionMailsRequesters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rl := &relay{}
		startRelay(t, rl, "127.0.0.1:0", nil, false)
		run(t, db, options(rl.addr))

		alice := file(t, db, as(f.alice), opsdesk.NewTicket{Subject: "Export fails"})
		bob := file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Export fails too"})
		claire := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.globex.ID, RequesterEmail: f.claire.Email, Subject: "Old export issue"})
		if _, err := db.Take(as(f.n1en), bob.Key); err != nil {
			t.Fatal(err)
		}
		for _, st := range []opsdesk.Status{opsdesk.StatusOpen, opsdesk.StatusResolved, opsdesk.StatusClosed} {
			if _, err := db.UpdateTicket(as(f.n1en), claire.Key, opsdesk.TicketPatch{Status: ptr(st), Resolution: resolutionFor(st)}); err != nil {
				t.Fatal(err)
			}
		}
		p := &opsdesk.Problem{Title: "Export service down"}
		if err := db.CreateProblem(as(f.n1en), p); err != nil {
			t.Fatal(err)
		}
		for _, tk := range []*opsdesk.Ticket{alice, bob, claire} {
			if _, err := db.LinkTicket(as(f.n1en), p.ID, tk.Key); err != nil {
				t.Fatal(err)
			}
		}
		idle(t, db)
		seen := len(rl.mails(t))

		const msg = "The export service is repaired: please try again."
		resolve := func() []*parsed {
			t.Helper()
			if _, err := db.ResolveProblem(as(f.n1en), p.ID, true, msg); err != nil {
				t.Fatal(err)
			}
			idle(t, db)
			all := rl.mails(t)
			news := all[seen:]
			seen = len(all)
			return news
		}
		got := map[string][]string{} // recipient → subjects of the mails carrying the message
		for _, m := range resolve() {
			if strings.Contains(m.Text, msg) {
				got[m.Envelope.To[0]] = append(got[m.Envelope.To[0]], m.Subject)
			}
		}
		if len(got) != 2 || len(got[f.alice.Email]) != 1 || len(got[f.bob.Email]) != 1 {
			t.Fatalf("the resolution mailed %v; want Alice and Bob once each", got)
		}
		if got[f.alice.Email][0] != "Re: ["+alice.Key+"] Export fails" || got[f.bob.Email][0] != "Re: ["+bob.Key+"] Export fails too" {
			t.Errorf("subjects: %v", got)
		}
		if again := resolve(); len(again) != 0 {
			var to []string
			for _, m := range again {
				to = append(to, m.Envelope.To...)
			}
			slices.Sort(to)
			t.Errorf("resolving again mailed %v", to)
		}
	})
}
