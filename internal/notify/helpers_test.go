package notify_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// admin is the context of an operator running the CLI (the system actor).
var admin = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

func as(u *opsdesk.User) context.Context {
	return opsdesk.WithActor(context.Background(), opsdesk.ActorOf(u))
}

// relay is a real SMTP server on loopback that records every envelope and message it accepts.
// With user set, it demands AUTH PLAIN with those credentials.
type relay struct {
	user, pass string
	mu         sync.Mutex
	got        []received
	addr       string
}

// received is one accepted message.
type received struct {
	From string
	To   []string
	Raw  []byte
}

func (r *relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: r}, nil }

type session struct {
	r      *relay
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.r.user || pass != s.r.pass {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *session) Data(rd io.Reader) error {
	b, err := io.ReadAll(rd)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.got = append(s.r.got, received{From: s.from, To: s.to, Raw: b})
	return nil
}
func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// startRelay serves r on addr ("127.0.0.1:0" for any port) until the test ends. With tc, it
// offers STARTTLS, or speaks TLS from the start when implicit is true.
func startRelay(t *testing.T, r *relay, addr string, tc *tls.Config, implicit bool) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	srv := smtp.NewServer(r)
	srv.Domain, srv.AllowInsecureAuth, srv.TLSConfig = "relay.test", true, tc
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	if implicit {
		ln = tls.NewListener(ln, tc)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// mails returns the messages received so far, parsed.
func (r *relay) mails(t *testing.T) []*parsed {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*parsed, len(r.got))
	for i, g := range r.got {
		out[i] = parse(t, g)
	}
	return out
}

func (r *relay) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// parsed is a received mail read back with the standard library's parsers.
type parsed struct {
	Envelope received
	Header   mail.Header
	Subject  string // decoded
	Text     string
	HTML     string
}

func (p *parsed) id(h string) string { return strings.Trim(p.Header.Get(h), "<>") }

func parse(t *testing.T, g received) *parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(g.Raw))
	if err != nil {
		t.Fatalf("received mail does not parse: %v\n%s", err, g.Raw)
	}
	p := &parsed{Envelope: g, Header: m.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes the quoted-printable transfer encoding
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(part)
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) // mail lines end in CRLF
		switch ct := part.Header.Get("Content-Type"); ct {
		case "text/plain; charset=utf-8":
			p.Text = string(b)
		case "text/html; charset=utf-8":
			p.HTML = string(b)
		default:
			t.Fatalf("unexpected part %q", ct)
		}
	}
	return p
}

// waitFor polls cond until it holds or the deadline passes.
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

// idle waits until no job is pending or running: every event has been turned into mail and
// every mail has been tried.
func idle(t *testing.T, db *store.DB) {
	t.Helper()
	waitFor(t, "the job queue to be idle", func() bool {
		c, err := db.JobCounts(context.Background())
		return err == nil && c[opsdesk.JobPending] == 0 && c[opsdesk.JobRunning] == 0
	})
}

// run starts a job runner with a tiny poll and back-off, handling mail.send through n and
// ticket.event through n.OnTicketEvent — the composition the program wires.
func run(t *testing.T, db *store.DB, opt notify.Options) *notify.Notifier {
	t.Helper()
	r := jobs.New(db, jobs.Options{Workers: 4, Poll: 10 * time.Millisecond, Logger: quiet,
		Backoff: func(int) time.Duration { return 20 * time.Millisecond }})
	n, err := notify.Register(r, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	r.Handle(opsdesk.TicketEventJob, func(ctx context.Context, j *opsdesk.Job) error {
		var ev opsdesk.TicketEvent
		if err := json.Unmarshal(j.Payload, &ev); err != nil {
			return jobs.Permanent(err)
		}
		return n.OnTicketEvent(ctx, ev)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return n
}

// byRecipient indexes mails by their first envelope recipient.
func byRecipient(ms []*parsed) map[string][]*parsed {
	out := map[string][]*parsed{}
	for _, m := range ms {
		out[m.Envelope.To[0]] = append(out[m.Envelope.To[0]], m)
	}
	return out
}
