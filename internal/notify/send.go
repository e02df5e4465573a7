package notify

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// sendPayload is the payload of a SendJob.
type sendPayload struct {
	OutboxID int64 `json:"outbox_id"`
}

// send is the mail.send handler: it hands one outbox mail to the relay and records the outcome
// on the outbox row. A refusal for good (5xx) fails the mail at once; any other failure is
// retried with the runner's back-off until the job's attempts are used up, and then the mail is
// left failed for admins. A mail already sent is not sent again.
func (n *Notifier) send(ctx context.Context, j *opsdesk.Job) error {
	var p sendPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.OutboxID == 0 {
		return jobs.Permanent(fmt.Errorf("mail.send %d: bad payload %s", j.ID, j.Payload))
	}
	ctx = systemCtx(ctx)
	m, err := n.db.OutboxMailByID(ctx, p.OutboxID)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return jobs.Permanent(err)
	}
	if err != nil {
		return err
	}
	if m.State == store.OutboxSent {
		return nil
	}
	// The outcome is recorded even when opsdesk is stopping: the relay has answered.
	record := context.WithoutCancel(ctx)
	if n.opt.Relay == "" {
		return n.db.FailOutbox(record, m.ID, NoRelay, true)
	}
	raw, err := n.compose(m, n.db.Now())
	if err != nil {
		return jobs.Permanent(fmt.Errorf("mail %d: compose: %w", m.ID, err))
	}
	err = n.deliver(ctx, n.from.Address, append([]string{m.To}, m.Cc...), raw)
	if err == nil {
		n.opt.Logger.Info("mail sent", "mail", m.ID, "ticket", m.TicketKey, "kind", m.Kind)
		return n.db.MarkOutboxSent(record, m.ID)
	}
	var se *smtp.SMTPError
	refused := errors.As(err, &se) && se.Code >= 500
	final := refused || j.Attempts >= j.MaxAttempts
	if ferr := n.db.FailOutbox(record, m.ID, err.Error(), final); ferr != nil {
		n.opt.Logger.Error("record mail failure", "mail", m.ID, "err", ferr)
	}
	err = fmt.Errorf("mail %d to %s via %s: %w", m.ID, m.To, n.opt.Relay, err)
	if refused {
		return jobs.Permanent(err)
	}
	return err
}

// deliver runs one SMTP transaction with the relay: connect (TLS or STARTTLS as configured),
// authenticate if credentials are set, MAIL, RCPT for each recipient, DATA.
func (n *Notifier) deliver(ctx context.Context, from string, to []string, raw []byte) error {
	ctx, cancel := context.WithTimeout(ctx, n.opt.Timeout)
	defer cancel()
	host, _, err := net.SplitHostPort(n.opt.Relay)
	if err != nil {
		return fmt.Errorf("relay %q: %w", n.opt.Relay, err)
	}
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if n.opt.TLSConfig != nil {
		tc = n.opt.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = host
		}
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", n.opt.Relay)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) }) // cancellation ends a stuck exchange
	defer stop()
	var c *smtp.Client
	switch n.opt.TLS {
	case "tls":
		tlsConn := tls.Client(conn, tc)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			return err
		}
		c = smtp.NewClient(tlsConn)
	case "starttls":
		if c, err = smtp.NewClientStartTLS(conn, tc); err != nil {
			return err
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()
	if n.opt.TLS != "starttls" { // after STARTTLS the client has greeted already
		if err := c.Hello(n.domain); err != nil {
			return err
		}
	}
	if n.opt.User != "" {
		auth := sasl.NewPlainClient("", n.opt.User, n.opt.Password)
		if !c.SupportsAuth(sasl.Plain) && c.SupportsAuth(sasl.Login) {
			auth = sasl.NewLoginClient(n.opt.User, n.opt.Password)
		}
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	c.Quit()
	return nil
}
