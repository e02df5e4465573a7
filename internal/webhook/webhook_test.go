package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/events"
	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/webhook"
)

var system = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// receipt is one request a receiver got.
type receipt struct {
	path, event, delivery, signature string
	body                             []byte
	status                           int
}

// receiver is a real local HTTP server that records what it receives and answers with the
// status that answer gives for the n-th request (0-based) to a path.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []receipt
	perPath  map[string]int
	answer   func(path string, n int) int
	redirect string // Location of 3xx answers
}

func newReceiver(t *testing.T, answer func(path string, n int) int) *receiver {
	rc := &receiver{perPath: map[string]int{}, answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		status := http.StatusOK
		if rc.answer != nil {
			status = rc.answer(r.URL.Path, rc.perPath[r.URL.Path])
		}
		rc.perPath[r.URL.Path]++
		rc.got = append(rc.got, receipt{path: r.URL.Path, event: r.Header.Get("X-Opsdesk-Event"), delivery: r.Header.Get("X-Opsdesk-Delivery"),
			signature: r.Header.Get("X-Opsdesk-Signature"), body: body, status: status})
		loc := rc.redirect
		rc.mu.Unlock()
		if status >= 300 && status < 400 {
			w.Header().Set("Location", loc)
		}
		w.WriteHeader(status)
		io.WriteString(w, "thanks")
	}))
	t.Cleanup(rc.Close)
	return rc
}

// receipts returns what arrived at path so far.
func (rc *receiver) receipts(path string) []receipt {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []receipt
	for _, r := range rc.got {
		if r.path == path {
			out = append(out, r)
		}
	}
	return out
}

// start runs a job runner with the webhook handlers, polling fast and retrying at once.
// start runs a job runner with the webhook consumer, and any other consumers given, of ticket
// events.
func start(t *testing.T, db *store.DB, opt webhook.Options, others ...map[string]events.Consumer) {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := jobs.New(db, jobs.Options{Poll: 10 * time.Millisecond, Backoff: func(int) time.Duration { return 0 }, Logger: quiet})
	opt.BaseURL = "https://desk.example"
	consumers := map[string]events.Consumer{"webhooks": webhook.Register(r, db, opt)}
	for _, o := range others {
		for k, v := range o {
			consumers[k] = v
		}
	}
	events.Register(r, consumers)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// hmacOf computes the signature independently of the package under test.
func hmacOf(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// world is a customer with a user and two agents, on a seeded database.
type world struct {
	t                        *testing.T
	db                       *store.DB
	acme                     *opsdesk.Customer
	aliceU, n1U, n2U, adminU *opsdesk.User
	alice, n1, n2, admin     context.Context
	hook                     func(url string, events ...string) *store.Webhook
	deliveriesOf             func(id int64) []*store.WebhookAttempt
	fileTicket               func() *opsdesk.Ticket
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	if err := db.SeedDefaults(system); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, db: db, acme: &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}}
	check(t, db.CreateCustomer(system, w.acme))
	w.aliceU = &opsdesk.User{Email: "alice@acme.example", Role: opsdesk.RoleCustomer, CustomerID: w.acme.ID}
	w.n1U = &opsdesk.User{Email: "n1@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1}
	w.n2U = &opsdesk.User{Email: "n2@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN2}
	w.adminU = &opsdesk.User{Email: "root@vendor.example", Role: opsdesk.RoleAdmin}
	for _, u := range []*opsdesk.User{w.aliceU, w.n1U, w.n2U, w.adminU} {
		check(t, db.CreateUser(system, u, ""))
	}
	as := func(u *opsdesk.User) context.Context {
		return opsdesk.WithActor(context.Background(), opsdesk.ActorOf(u))
	}
	w.alice, w.n1, w.n2, w.admin = as(w.aliceU), as(w.n1U), as(w.n2U), as(w.adminU)
	w.hook = func(url string, events ...string) *store.Webhook {
		h := &store.Webhook{URL: url, Events: events}
		check(t, db.CreateWebhook(w.admin, h))
		return h
	}
	w.deliveriesOf = func(id int64) []*store.WebhookAttempt {
		log, err := db.WebhookAttempts(w.admin, id, 0)
		check(t, err)
		return log
	}
	w.fileTicket = func() *opsdesk.Ticket {
		tk, err := db.CreateTicket(w.alice, &opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "Export fails", Description: "It stops"})
		check(t, err)
		return tk
	}
	return w
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

// payload is the body a receiver gets.
type payload struct {
	Event  string
	Number string
	Ticket struct {
		Number, Status, Level, Customer, URL string
		Assignee                             *string
	}
	Message *struct {
		Body     string
		Internal bool
	}
	Actor string
	At    string
}

func decode(t *testing.T, r receipt) payload {
	t.Helper()
	var p payload
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("body %s: %v", r.body, err)
	}
	return p
}
