package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/events"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
	"github.com/opsdesk/opsdesk/internal/webhook"
)

// TestTicketLifeIsDeliveredSigned follows a ticket from creation to closure and checks that a
// real receiver gets every event once, signed with the webhook's secret, and that a webhook
// subscribed to one event gets only that one.
func TestTicketLifeIsDeliveredSigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		rc := newReceiver(t, nil)
		all := w.hook(rc.URL+"/all", "*")
		closed := w.hook(rc.URL+"/closed", opsdesk.TicketClosed)
		start(t, db, webhook.Options{})

		tk := w.fileTicket()
		_, err := db.AddMessage(w.n1, tk.Key, "Which browser?", false, nil) // also opens the ticket
		check(t, err)
		_, err = db.AddMessage(w.n1, tk.Key, "Known export bug", true, nil)
		check(t, err)
		_, err = db.Escalate(w.n1, tk.Key, opsdesk.LevelN2, "needs a database expert")
		check(t, err)
		_, err = db.UpdateTicket(w.n2, tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Reason: "fixed",
			Resolution: &opsdesk.Resolution{Summary: "Fixed the export.", Cause: "defect", DraftArticle: true}})
		check(t, err)
		_, err = db.UpdateTicket(w.alice, tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusClosed)})
		check(t, err)

		want := []string{opsdesk.TicketClosed, opsdesk.TicketCreated, opsdesk.TicketEscalated, opsdesk.TicketMessage,
			opsdesk.TicketMessage, opsdesk.TicketResolved, opsdesk.TicketUpdated}
		waitFor(t, "every event", func() bool { return len(rc.receipts("/all")) >= len(want) && len(rc.receipts("/closed")) >= 1 })
		time.Sleep(100 * time.Millisecond) // and no more

		got := rc.receipts("/all")
		var events, deliveries []string
		for _, r := range got {
			if sig := hmacOf(all.Secret, r.body); r.signature != sig {
				t.Errorf("%s: signature %q, want %q", r.event, r.signature, sig)
			}
			if !webhook.Verify(all.Secret, r.body, r.signature) || webhook.Verify(closed.Secret, r.body, r.signature) {
				t.Error("Verify disagrees with the HMAC")
			}
			p := decode(t, r)
			if p.Event != r.event || p.Number != tk.Key || p.Ticket.Number != tk.Key || p.Ticket.Customer != "ACME" ||
				p.Ticket.URL != "https://desk.example/tickets/"+tk.Key || p.Actor == "" {
				t.Errorf("payload = %+v (header event %s)", p, r.event)
			}
			if _, err := time.Parse(time.RFC3339, p.At); err != nil {
				t.Errorf("at = %q: %v", p.At, err)
			}
			if r.event == opsdesk.TicketMessage {
				if p.Message != nil && (p.Message.Internal || p.Message.Body != "Which browser?") {
					t.Errorf("message event carries %+v", p.Message)
				}
				if p.Message == nil && !strings.Contains(string(r.body), `"actor":"n1@vendor.example"`) {
					t.Errorf("message event without message: %s", r.body)
				}
			}
			events, deliveries = append(events, r.event), append(deliveries, r.delivery)
		}
		slices.Sort(events)
		if !slices.Equal(events, want) {
			t.Fatalf("events = %v, want %v", events, want)
		}
		withMessage := 0
		for _, r := range got {
			if r.event == opsdesk.TicketMessage && decode(t, r).Message != nil {
				withMessage++
			}
		}
		if withMessage != 1 {
			t.Errorf("%d message events carry their message, want 1 (the internal note's is left out)", withMessage)
		}
		if slices.Sort(deliveries); len(slices.Compact(deliveries)) != len(want) {
			t.Errorf("delivery ids are not distinct: %v", deliveries)
		}
		only := rc.receipts("/closed")
		if len(only) != 1 || only[0].event != opsdesk.TicketClosed || only[0].signature != hmacOf(closed.Secret, only[0].body) {
			t.Fatalf("the closed-only webhook got %+v", only)
		}
		if p := decode(t, only[0]); p.Ticket.Status != "closed" || p.Ticket.Level != "N2" {
			t.Errorf("closed event's ticket = %+v", p.Ticket)
		}
		waitFor(t, "every attempt logged", func() bool { return len(w.deliveriesOf(all.ID)) >= len(want) })
		log := w.deliveriesOf(all.ID)
		if len(log) != len(want) {
			t.Fatalf("delivery log has %d attempts, want %d", len(log), len(want))
		}
		for _, a := range log {
			if a.StatusCode != http.StatusOK || a.Attempt != 1 || a.Error != "" || a.TicketKey != tk.Key {
				t.Errorf("attempt = %+v", a)
			}
		}
	})
}

// TestFailingReceiverIsRetried: a receiver that fails twice then succeeds gets the event
// delivered once, after three attempts, all logged; every attempt sends the same signed bytes.
func TestFailingReceiverIsRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		rc := newReceiver(t, func(_ string, n int) int {
			if n < 2 {
				return http.StatusInternalServerError
			}
			return http.StatusNoContent
		})
		h := w.hook(rc.URL+"/flaky", opsdesk.TicketCreated)
		start(t, db, webhook.Options{})
		w.fileTicket()

		waitFor(t, "a successful delivery", func() bool { return len(rc.receipts("/flaky")) >= 3 })
		waitFor(t, "the log of three attempts", func() bool { return len(w.deliveriesOf(h.ID)) >= 3 })
		time.Sleep(100 * time.Millisecond)
		got := rc.receipts("/flaky")
		ok := 0
		for _, r := range got {
			if r.status < 300 {
				ok++
			}
			if r.delivery != got[0].delivery || string(r.body) != string(got[0].body) || r.signature != hmacOf(h.Secret, r.body) {
				t.Errorf("attempt differs from the first: %+v", r)
			}
		}
		if len(got) != 3 || ok != 1 {
			t.Fatalf("the receiver got %d requests, %d answered 2xx; want 3 and 1", len(got), ok)
		}
		waitFor(t, "three logged attempts", func() bool { return len(w.deliveriesOf(h.ID)) >= 3 })
		log := w.deliveriesOf(h.ID)
		if len(log) != 3 {
			t.Fatalf("log = %+v", log)
		}
		for i, a := range log { // newest first
			wantStatus, wantAttempt := []int{204, 500, 500}[i], 3-i
			if a.StatusCode != wantStatus || a.Attempt != wantAttempt || (wantStatus == 500) != strings.Contains(a.Error, "500") {
				t.Errorf("log[%d] = %+v, want attempt %d answered %d", i, a, wantAttempt, wantStatus)
			}
		}
	})
}

// TestRetriedFanOutDeliversOnce: when another consumer of the ticket event fails and is
// retried, the webhook still receives the event once.
func TestRetriedFanOutDeliversOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		rc := newReceiver(t, nil)
		w.hook(rc.URL+"/once", "*")
		var calls atomic.Int32
		start(t, db, webhook.Options{}, map[string]events.Consumer{"mail": func(ctx context.Context, jobID int64, ev opsdesk.TicketEvent) error {
			if calls.Add(1) <= 2 {
				return errors.New("mail relay down")
			}
			return nil
		}})
		w.fileTicket()
		waitFor(t, "the consumer to succeed", func() bool { return calls.Load() >= 3 })
		time.Sleep(200 * time.Millisecond)
		if got := rc.receipts("/once"); len(got) != 1 {
			t.Fatalf("the event was delivered %d times, want once", len(got))
		}
	})
}

// TestRedirects: a redirect to the same host is followed; one to another host is not, and the
// attempt is logged as failed.
func TestRedirects(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		elsewhere := newReceiver(t, nil)
		rc := newReceiver(t, func(path string, _ int) int {
			if path == "/moved" || path == "/away" {
				return http.StatusPermanentRedirect
			}
			return http.StatusOK
		})
		sameHost := w.hook(rc.URL+"/moved", opsdesk.TicketCreated)
		rc.redirect = "/new"
		start(t, db, webhook.Options{MaxAttempts: 2})
		w.fileTicket()
		waitFor(t, "the redirected delivery", func() bool { return len(rc.receipts("/new")) == 1 })
		// The attempt is logged after the receiver answered: wait for the row, then check it.
		waitFor(t, "the delivery log", func() bool { return len(w.deliveriesOf(sameHost.ID)) > 0 })
		if log := w.deliveriesOf(sameHost.ID); len(log) != 1 || log[0].StatusCode != 200 {
			t.Fatalf("same-host redirect log = %+v", log)
		}

		check(t, db.DeleteWebhook(w.admin, sameHost.ID))
		away := w.hook(rc.URL+"/away", opsdesk.TicketCreated)
		rc.mu.Lock()
		rc.redirect = elsewhere.URL + "/stolen"
		rc.mu.Unlock()
		w.fileTicket()
		waitFor(t, "two refused attempts", func() bool { return len(w.deliveriesOf(away.ID)) == 2 })
		for _, a := range w.deliveriesOf(away.ID) {
			if a.StatusCode != http.StatusPermanentRedirect || !strings.Contains(a.Error, "not followed") {
				t.Errorf("attempt = %+v", a)
			}
		}
		if got := elsewhere.receipts("/stolen"); len(got) != 0 {
			t.Fatalf("a redirect to another host was followed: %+v", got)
		}
	})
}

func ptr[T any](v T) *T { return &v }
