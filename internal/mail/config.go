package mail

import (
	"log/slog"
	"net/mail"
	"net/url"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/store"
)

// NewIntakeFromConfig builds the intake with the configured policy: reopen window, rate limit,
// and our own addresses (the support addresses and the address notifications come from).
func NewIntakeFromConfig(cfg config.Config, db *store.DB, blobs *blob.Store) *Intake {
	p := DefaultPolicy
	p.ReopenWindow = time.Duration(cfg.MailReopenDays) * 24 * time.Hour
	p.RateLimit, p.RateWindow = cfg.MailRateLimit, cfg.MailRateWindow
	own := append([]string(nil), cfg.SupportAddresses...)
	if a, err := mail.ParseAddress(cfg.MailFrom); err == nil {
		own = append(own, a.Address)
	}
	return &Intake{DB: db, Blobs: blobs, Policy: p, Own: own, Now: db.Now}
}

// ListenerFromConfig builds the SMTP/LMTP listener when OPSDESK_SMTP_LISTEN or
// OPSDESK_LMTP_LISTEN is set, and nil otherwise. Messages may be twice the largest upload
// (base64 makes an attachment a third larger) plus 1 MB of text.
func ListenerFromConfig(cfg config.Config, db *store.DB, blobs *blob.Store, logger *slog.Logger) (*Listener, error) {
	if cfg.SMTPListen == "" && cfg.LMTPListen == "" {
		return nil, nil
	}
	host := "opsdesk"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return NewListener(ListenerOptions{SMTPAddr: cfg.SMTPListen, LMTPAddr: cfg.LMTPListen, Addresses: cfg.SupportAddresses,
		MaxBytes: 2*cfg.MaxUpload + 1<<20, Hostname: host, Deliverer: NewIntakeFromConfig(cfg, db, blobs), Logger: logger})
}
