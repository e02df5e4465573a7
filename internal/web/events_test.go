package web_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestEventsFollowATicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		alice := ws.client()
		alice.login(d.alice.Email, password)
		lines := alice.stream("/events?ticket=" + strings.ToLower(d.acmeReq.Key))

		// Another ticket's change is not for this stream; the followed ticket's is.
		other := fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "other", Subject: "other", Description: "d"})
		if _, err := db.AddMessage(as(d.agent), other.Key, "not this one", false, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddMessage(as(d.agent), d.acmeReq.Key, "An answer", false, nil); err != nil {
			t.Fatal(err)
		}
		ev, data := nextEvent(t, lines, 5*time.Second)
		if ev != "ticket" || data != `{"key":"`+d.acmeReq.Key+`","kind":"message"}` {
			t.Errorf("event %q, data %q", ev, data)
		}
		if _, err := db.Take(as(d.agent), d.acmeReq.Key); err != nil {
			t.Fatal(err)
		}
		if _, data := nextEvent(t, lines, 5*time.Second); !strings.Contains(data, `"kind":"updated"`) {
			t.Errorf("after take: %q", data)
		}
	})
}

func TestEventsKeepOrganisationsApart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newDesk(t, db)
		ws := startSite(t, db)
		alice, agent := ws.client(), ws.client()
		alice.login(d.alice.Email, password)
		agent.login(d.agent.Email, password)
		aliceLines, staffLines := alice.stream("/events"), agent.stream("/events")

		// GLOBEX's changes first, then one of ACME's: Alice's first event is ACME's.
		for _, tk := range []*opsdesk.Ticket{d.globexReq, d.globexReq, d.acmeReq} {
			if _, err := db.AddMessage(as(d.agent), tk.Key, "news", false, nil); err != nil {
				t.Fatal(err)
			}
		}
		fileTicket(t, db, d.bob, opsdesk.NewTicket{Severity: "minor", Category: "other", Subject: "new at Globex", Description: "d"})
		fileTicket(t, db, d.alice, opsdesk.NewTicket{Severity: "minor", Category: "other", Subject: "new at Acme", Description: "d"})
		for i, want := range []string{d.acmeReq.Key, "OPS-1004"} {
			if _, data := nextEvent(t, aliceLines, 5*time.Second); !strings.Contains(data, want) {
				t.Errorf("Alice's event %d: %q, want %s", i, data, want)
			}
		}
		// The team sees every change, in order.
		for i, want := range []string{d.globexReq.Key, d.globexReq.Key, d.acmeReq.Key, "OPS-1003", "OPS-1004"} {
			if _, data := nextEvent(t, staffLines, 5*time.Second); !strings.Contains(data, want) {
				t.Errorf("staff event %d: %q, want %s", i, data, want)
			}
		}
	})
}

func TestEventsEndAtShutdown(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	d := newDesk(t, db)
	ws := startSite(t, db)
	alice := ws.client()
	alice.login(d.alice.Email, password)
	lines := alice.stream("/events")
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- ws.srv.Config.Shutdown(ctx)
	}()
	deadline := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-lines:
		case <-deadline:
			t.Fatal("the stream outlives the server's shutdown")
		}
	}
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// stream opens a Server-Sent Events stream with the client's cookies and returns its lines as
// they arrive; the stream is closed when the test ends.
func (c *client) stream(path string) <-chan string {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := (&http.Client{Jar: c.hc.Jar, CheckRedirect: c.hc.CheckRedirect}).Do(req)
	if err != nil {
		cancel()
		c.t.Fatalf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		cancel()
		resp.Body.Close()
		c.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	c.t.Cleanup(cancel)
	lines := make(chan string, 256)
	go func() {
		defer close(lines)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// nextEvent reads a stream up to its next event and returns its name and data; comments
// (heartbeats) and the retry line are skipped.
func nextEvent(t *testing.T, lines <-chan string, within time.Duration) (event, data string) {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the stream ended")
			}
			switch {
			case strings.HasPrefix(l, "event: "):
				event = strings.TrimPrefix(l, "event: ")
			case strings.HasPrefix(l, "data: "):
				data = strings.TrimPrefix(l, "data: ")
			case l == "" && event != "":
				return event, data
			}
		case <-deadline:
			t.Fatalf("no event within %s", within)
		}
	}
}
