package mail_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestIntakeConcurrent has 50 goroutines deliver the same 20 messages — 10 new requests and 10
// replies to existing tickets — each in its own order: every message is recorded once, opens
// or extends the right ticket once, and every delivery of a message gives the same ticket.
func TestIntakeConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		e.in.Policy.RateLimit = 0 // new contacts are still created once: a sender's messages are decided in turn
		senders := []string{"alice@acme.example", "bob@globex.example", "carol@acme.example", "dan@globex.example"}
		for i := range 10 {
			r := e.deliver(t, "smtp", build(fmt.Sprintf("From: %s\nSubject: Old %d\nMessage-ID: <old%d@x.example>", senders[i%4], i, i), "old"))
			expect(t, r, mail.StatusTicket, fmt.Sprintf("OPS-%d", 1001+i))
		}
		var raws [][]byte
		for i := range 10 {
			raws = append(raws, build(fmt.Sprintf("From: %s\nSubject: New %d\nMessage-ID: <new%d@x.example>", senders[i%4], i, i), "new"))
			raws = append(raws, build(fmt.Sprintf("From: %s\nSubject: Re: Old %d\nMessage-ID: <re%d@x.example>\nIn-Reply-To: <old%d@x.example>",
				senders[i%4], i, i, i), "reply"))
		}
		keys := make([][]string, len(raws)) // keys[message] = the ticket of each delivery
		var mu sync.Mutex
		var wg sync.WaitGroup
		errs := make(chan error, 50)
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, i := range rand.Perm(len(raws)) {
					r, err := e.in.Deliver(context.Background(), mail.Inbound{Source: "smtp", Raw: raws[i], ReceivedAt: e.clock.now()})
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					keys[i] = append(keys[i], r.TicketKey)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("deliver: %v", err)
		}
		must(t, e.count(t, `SELECT COUNT(*) FROM mail_inbound`) == 30, "inbound rows: %d, want 10 + 20", e.count(t, `SELECT COUNT(*) FROM mail_inbound`))
		must(t, e.count(t, `SELECT COUNT(*) FROM tickets`) == 20, "tickets: %d, want 20", e.count(t, `SELECT COUNT(*) FROM tickets`))
		must(t, e.count(t, `SELECT COUNT(*) FROM ticket_messages`) == 30, "messages: %d, want 30", e.count(t, `SELECT COUNT(*) FROM ticket_messages`))
		for i, ks := range keys {
			must(t, len(ks) == 50, "message %d delivered %d times", i, len(ks))
			for _, k := range ks {
				must(t, k == ks[0] && k != "", "message %d went to %q and %q", i, ks[0], k)
			}
			if i%2 == 1 {
				must(t, ks[0] == fmt.Sprintf("OPS-%d", 1001+i/2), "reply %d went to %s", i/2, ks[0])
			}
		}
		if n := e.count(t, `SELECT COUNT(*) FROM (SELECT mail_message_id FROM ticket_messages GROUP BY mail_message_id HAVING COUNT(*) > 1) d`); n != 0 {
			t.Fatalf("%d Message-IDs recorded on several messages", n)
		}
	})
}
