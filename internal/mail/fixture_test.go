package mail_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// admin is the context of an operator; staff reads and changes in tests run as it.
var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// clock is the tests' settable time, shared by the store and the intake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a migrated database with two customers and their contacts, a blob store and an intake.
type env struct {
	db            *store.DB
	blobs         *blob.Store
	in            *mail.Intake
	clock         *clock
	acme, globex  *opsdesk.Customer
	alice, bob    *opsdesk.Contact
	receivedEarly time.Duration // how long before "now" the channel received each message
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	if err := db.SeedDefaults(admin); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}, receivedEarly: time.Minute}
	db.Now = e.clock.now
	e.acme = &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
	e.globex = &opsdesk.Customer{Code: "GLOBEX", Name: "Globex", Domains: []string{"globex.example"}}
	for _, c := range []*opsdesk.Customer{e.acme, e.globex} {
		if err := db.CreateCustomer(admin, c); err != nil {
			t.Fatal(err)
		}
	}
	e.alice = &opsdesk.Contact{CustomerID: e.acme.ID, Email: "alice@acme.example", Name: "Alice"}
	e.bob = &opsdesk.Contact{CustomerID: e.globex.ID, Email: "bob@globex.example", Name: "Bob"}
	for _, c := range []*opsdesk.Contact{e.alice, e.bob} {
		if err := db.CreateContact(admin, c); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if e.blobs, err = blob.Open(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	e.in = &mail.Intake{DB: db, Blobs: e.blobs, Policy: mail.DefaultPolicy, Own: []string{"support@vendor.example"},
		Now: e.clock.now}
	return e
}

// deliver hands one message to the intake as the SMTP listener would, received just now.
func (e *env) deliver(t testing.TB, source string, raw []byte) mail.Result {
	t.Helper()
	r, err := e.in.Deliver(context.Background(), mail.Inbound{Source: source, Raw: raw,
		ReceivedAt: e.clock.now().Add(-e.receivedEarly), EnvelopeTo: []string{"support@vendor.example"}})
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return r
}

// build makes a raw message from a header block (LF-separated lines; To, Date and MIME-Version
// are added when missing) and a body, with CRLF line ends as on the wire.
func build(header, body string) []byte {
	h := strings.TrimSpace(header)
	for _, f := range []string{"To: Support <support@vendor.example>", "Date: Mon, 02 Mar 2026 08:58:00 +0000", "MIME-Version: 1.0"} {
		name, _, _ := strings.Cut(f, ":")
		if !strings.Contains("\n"+strings.ToLower(h), "\n"+strings.ToLower(name)+":") {
			h += "\n" + f
		}
	}
	if !strings.Contains(strings.ToLower(h), "content-type:") {
		h += "\nContent-Type: text/plain; charset=utf-8"
	}
	s := h + "\n\n" + body
	return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
}

// messages returns a ticket's conversation as staff see it.
func (e *env) messages(t testing.TB, key string) []*opsdesk.Message {
	t.Helper()
	ms, err := e.db.Messages(admin, key)
	if err != nil {
		t.Fatalf("messages of %s: %v", key, err)
	}
	return ms
}

func (e *env) ticket(t testing.TB, key string) *opsdesk.Ticket {
	t.Helper()
	tk, err := e.db.TicketByKey(admin, key)
	if err != nil {
		t.Fatalf("ticket %s: %v", key, err)
	}
	return tk
}

// setStatus walks a ticket through the lifecycle to the wanted status, as staff would.
func (e *env) setStatus(t testing.TB, key string, path ...opsdesk.Status) {
	t.Helper()
	for _, s := range path {
		s := s
		if _, err := e.db.UpdateTicket(admin, key, opsdesk.TicketPatch{Status: &s, Reason: "test", Resolution: resolutionFor(s)}); err != nil {
			t.Fatalf("%s → %s: %v", key, s, err)
		}
	}
}

// resolutionFor is the resolution a patch to status s needs: one (with a draft article, for the
// knowledge-base rule of blocking tickets) when s is resolved, nil otherwise.
func resolutionFor(s opsdesk.Status) *opsdesk.Resolution {
	if s != opsdesk.StatusResolved {
		return nil
	}
	return &opsdesk.Resolution{Summary: "Fixed.", Cause: "defect", DraftArticle: true}
}

// outbound records a public agent reply on a ticket as sent by mail with the given Message-ID,
// as the outbound notifications do.
func (e *env) outbound(t testing.TB, key, messageID string) {
	t.Helper()
	m, err := e.db.AddMessage(admin, key, "We are looking into it.", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().Exec(e.db.Rebind(`UPDATE ticket_messages SET mail_message_id = ? WHERE id = ?`), messageID, m.ID); err != nil {
		t.Fatal(err)
	}
}

// count runs a COUNT query.
func (e *env) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.SQL().QueryRow(e.db.Rebind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// blobBytes reads stored content.
func (e *env) blobBytes(t testing.TB, sum string) []byte {
	t.Helper()
	f, err := e.blobs.Open(sum)
	if err != nil {
		t.Fatalf("blob %s: %v", sum, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func expect(t testing.TB, r mail.Result, status, key string) {
	t.Helper()
	if r.Status != status || (key != "*" && r.TicketKey != key) {
		t.Fatalf("result = %s %q, want %s %q\nreason: %s", r.Status, r.TicketKey, status, key, r.Reason)
	}
}

func must(t testing.TB, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}

var _ = fmt.Sprint
