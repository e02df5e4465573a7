package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// connect opens a session on the mailbox's folder: dial, TLS as configured, log in, make sure
// the folder processed messages go to exists, select the watched folder. newMail receives a
// value whenever the server announces new messages.
func (p *IMAPPoller) connect(ctx context.Context) (c *imapclient.Client, newMail chan struct{}, err error) {
	m := p.Mailbox
	if m.Security == "none" && !IsLoopbackHost(m.Host) {
		return nil, nil, fmt.Errorf("imap %s: security none sends the password in clear: only for a server on this machine; use tls or starttls", m.Host)
	}
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("imap %s: %w", addr, err)
	}
	// Until the session is set up, cancellation closes the connection.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	newMail = make(chan struct{}, 1)
	opts := &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case newMail <- struct{}{}:
				default:
				}
			}
		}}}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if p.TLSConfig != nil {
		cfg = p.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = m.Host
	}
	switch m.Security {
	case "tls":
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, nil, fmt.Errorf("imap %s: TLS: %w", addr, err)
		}
		c = imapclient.New(tc, opts)
	case "starttls":
		opts.TLSConfig = cfg
		if c, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return nil, nil, fmt.Errorf("imap %s: STARTTLS: %w", addr, err)
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if err := p.open(c); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("imap %s: %w", addr, err)
	}
	return c, newMail, nil
}

// open logs in and selects the folder.
func (p *IMAPPoller) open(c *imapclient.Client) error {
	m := p.Mailbox
	if err := c.WaitGreeting(); err != nil {
		return err
	}
	if m.XOAuth2Token != "" {
		if err := c.Authenticate(xoauth2{user: m.Username, token: m.XOAuth2Token}); err != nil {
			return fmt.Errorf("log in as %s with XOAUTH2: %w", m.Username, err)
		}
	} else if err := c.Login(m.Username, m.Password).Wait(); err != nil {
		return fmt.Errorf("log in as %s: %w", m.Username, err)
	}
	if m.Action == "move" {
		if err := ensureFolder(c, m.MoveTo); err != nil {
			return err
		}
	}
	if _, err := c.Select(m.Folder, nil).Wait(); err != nil {
		return fmt.Errorf("select folder %s: %w", m.Folder, err)
	}
	return nil
}

// ensureFolder creates a folder unless it exists.
func ensureFolder(c *imapclient.Client, name string) error {
	l, err := c.List("", name, nil).Collect()
	if err != nil {
		return fmt.Errorf("look for folder %s: %w", name, err)
	}
	if len(l) > 0 {
		return nil
	}
	if err := c.Create(name, nil).Wait(); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Code == imap.ResponseCodeAlreadyExists {
			return nil
		}
		return fmt.Errorf("create folder %s for processed messages: %w", name, err)
	}
	return nil
}

// IsLoopbackHost tells whether host names this machine (localhost, 127.0.0.0/8, ::1): the only
// place an IMAP server may be reached without TLS.
func IsLoopbackHost(host string) bool {
	host = strings.Trim(strings.ToLower(strings.TrimSpace(host)), "[]")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// xoauth2 is the SASL XOAUTH2 mechanism of Google and Microsoft: the user name and an OAuth 2
// access token in one initial response.
type xoauth2 struct{ user, token string }

var _ sasl.Client = xoauth2{}

func (x xoauth2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

// Next answers the server's error report (a JSON challenge) with an empty response, as the
// mechanism requires; the server then refuses the login and says why.
func (x xoauth2) Next(challenge []byte) ([]byte, error) {
	return []byte{}, nil
}

// Check connects and logs in as the poller would, selects the watched folder and returns how
// many messages it holds, then logs out. It changes nothing but creating the folder processed
// messages go to. `opsdesk mailbox add --check` uses it.
func (p *IMAPPoller) Check(ctx context.Context) (messages int, err error) {
	p.defaults()
	c, _, err := p.connect(ctx)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if mb := c.Mailbox(); mb != nil {
		messages = int(mb.NumMessages)
	}
	return messages, c.Logout().Wait()
}
