package mail

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// ListenerOptions configure the inbound SMTP/LMTP listener.
type ListenerOptions struct {
	SMTPAddr string // host:port for SMTP; "" for none
	LMTPAddr string // host:port for LMTP (RFC 2033); "" for none
	// Addresses are the recipients accepted: support addresses, or "@domain" for a whole domain.
	Addresses []string
	MaxBytes  int64  // largest message accepted (SIZE); larger ones get 552
	Hostname  string // the name in the greeting
	Deliverer Deliverer
	Logger    *slog.Logger
	Now       func() time.Time
	// DeliverTimeout bounds one delivery (default one minute); past it the client gets 451.
	DeliverTimeout time.Duration
}

// Listener receives mail from an MTA over SMTP and/or LMTP. It accepts only the support
// addresses and answers DATA only after the Deliverer has durably recorded the message: 250 then,
// 451 on a temporary failure so that the MTA retries. Nothing accepted is ever lost.
type Listener struct {
	opts     ListenerOptions
	servers  []*smtp.Server
	lns      []net.Listener
	addrs    []net.Addr
	wg       sync.WaitGroup // the servers' accept loops
	inflight inflight       // messages being delivered and answered
}

// inflight counts the messages being delivered; once draining, it takes no new one.
type inflight struct {
	mu       sync.Mutex
	n        int
	draining bool
	zero     chan struct{}
}

func (f *inflight) add() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.draining {
		return false
	}
	f.n++
	return true
}

func (f *inflight) done() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n == 0 && f.zero != nil {
		close(f.zero)
		f.zero = nil
	}
}

// drain refuses new messages and returns a channel closed when none is under way.
func (f *inflight) drain() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.draining = true
	ch := make(chan struct{})
	if f.n == 0 {
		close(ch)
	} else {
		f.zero = ch
	}
	return ch
}

// NewListener checks the options and builds the listener; Start binds it.
func NewListener(o ListenerOptions) (*Listener, error) {
	if o.SMTPAddr == "" && o.LMTPAddr == "" {
		return nil, errors.New("mail listener: no SMTP or LMTP address")
	}
	if len(o.Addresses) == 0 {
		return nil, errors.New("mail listener: no support address to accept mail for: set OPSDESK_SUPPORT_ADDRESSES")
	}
	if o.Deliverer == nil {
		return nil, errors.New("mail listener: no deliverer")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.DeliverTimeout <= 0 {
		o.DeliverTimeout = time.Minute
	}
	if o.Hostname == "" {
		o.Hostname = "opsdesk"
	}
	return &Listener{opts: o}, nil
}

// Start binds the configured addresses and serves them until Shutdown.
func (l *Listener) Start() error {
	for _, p := range []struct {
		addr string
		lmtp bool
	}{{l.opts.SMTPAddr, false}, {l.opts.LMTPAddr, true}} {
		if p.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", p.addr)
		if err != nil {
			l.Shutdown(context.Background())
			return fmt.Errorf("mail listener %s: %w", p.addr, err)
		}
		s := smtp.NewServer(&backend{l: l, lmtp: p.lmtp})
		s.LMTP = p.lmtp
		s.Domain = l.opts.Hostname
		s.MaxMessageBytes = l.opts.MaxBytes
		s.MaxRecipients = 100
		s.ReadTimeout = 5 * time.Minute
		s.WriteTimeout = time.Minute
		s.EnableSMTPUTF8 = true
		s.ErrorLog = logAdapter{l.opts.Logger}
		l.servers, l.lns = append(l.servers, s), append(l.lns, ln)
		l.addrs = append(l.addrs, ln.Addr())
		proto := map[bool]string{false: "smtp", true: "lmtp"}[p.lmtp]
		l.opts.Logger.Info("mail listener started", "protocol", proto, "addr", ln.Addr().String())
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			if err := s.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
				l.opts.Logger.Error("mail listener stopped", "protocol", proto, "err", err)
			}
		}()
	}
	return nil
}

// Addrs gives the bound addresses, SMTP first (a port 0 in the options picks a free one).
func (l *Listener) Addrs() []net.Addr { return l.addrs }

// Shutdown stops accepting connections, lets the deliveries under way finish and be answered
// (until ctx ends), then closes the remaining sessions: an MTA retries any message it had not
// finished sending, and a message recorded but not answered is recognised as a duplicate.
func (l *Listener) Shutdown(ctx context.Context) error {
	for _, ln := range l.lns {
		ln.Close()
	}
	var err error
	select {
	case <-l.inflight.drain():
	case <-ctx.Done():
		err = fmt.Errorf("mail listener: deliveries still under way at shutdown: %w", ctx.Err())
	}
	for _, s := range l.servers {
		s.Close()
	}
	l.wg.Wait()
	return err
}

type backend struct {
	l    *Listener
	lmtp bool
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{l: b.l, remote: c.Conn().RemoteAddr().String()}, nil
}

// session is one SMTP/LMTP conversation.
type session struct {
	l          *Listener
	remote     string
	from       string
	rcpts      []string
	delivering bool // counted in l.inflight from DATA until the answer is written (the reset after it)
}

func (s *session) Reset() {
	s.from, s.rcpts = "", nil
	s.done()
}

func (s *session) Logout() error {
	s.done()
	return nil
}

func (s *session) done() {
	if s.delivering {
		s.delivering = false
		s.l.inflight.done()
	}
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !matchAddress(s.l.opts.Addresses, to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: fmt.Sprintf("<%s>: no such mailbox here; this server only accepts mail for the support addresses", to)}
	}
	s.rcpts = append(s.rcpts, strings.ToLower(to))
	return nil
}

// Data reads the message and answers only after it is recorded. The Return-Path line is added,
// as the final delivery does (RFC 5321 4.4), so an empty reverse path marks a bounce.
func (s *session) Data(r io.Reader) error {
	if !s.l.inflight.add() {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "shutting down; try again later"}
	}
	s.delivering = true
	body, err := io.ReadAll(r)
	if err != nil {
		return err // the size limit (552) or a broken connection
	}
	raw := make([]byte, 0, len(body)+len(s.from)+20)
	raw = append(append(append(raw, "Return-Path: <"...), s.from...), ">\r\n"...)
	raw = append(raw, body...)
	ctx, cancel := context.WithTimeout(context.Background(), s.l.opts.DeliverTimeout)
	defer cancel()
	res, err := s.l.opts.Deliverer.Deliver(ctx, Inbound{Source: "smtp", Raw: raw, ReceivedAt: s.l.opts.Now(), EnvelopeTo: s.rcpts})
	if err != nil {
		s.l.opts.Logger.Error("mail listener: delivery failed; the sender will retry", "remote", s.remote, "from", s.from, "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "temporary failure storing the message; try again later"}
	}
	s.l.opts.Logger.Debug("mail received", "remote", s.remote, "status", res.Status, "ticket", res.TicketKey, "duplicate", res.Duplicate)
	return nil
}

// logAdapter sends go-smtp's internal errors to the structured log.
type logAdapter struct{ l *slog.Logger }

func (a logAdapter) Printf(format string, v ...any) {
	a.l.Warn("mail listener: " + fmt.Sprintf(format, v...))
}
func (a logAdapter) Println(v ...any) {
	a.l.Warn("mail listener: " + strings.TrimSpace(fmt.Sprintln(v...)))
}
