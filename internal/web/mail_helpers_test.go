package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/web"
)

// mailSite is a site with outgoing mail (a notifier with no relay) and a real intake writing
// to the same blob store as the UI, as the program wires them.
type mailSite struct {
	*site
	intake *mail.Intake
	mail   *notify.Notifier
}

func startMailSite(t *testing.T, db *store.DB) *mailSite {
	t.Helper()
	cfg := config.Config{Lang: opsdesk.LangEN, SessionTTL: time.Hour, BaseURL: "http://127.0.0.1"}
	logs := &syncBuffer{}
	blobDir := filepath.Join(t.TempDir(), "attachments")
	blobs, err := blob.Open(blobDir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(db, notify.Options{From: "Support <support@vendor.example>", BaseURL: cfg.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Options{DB: db, Blobs: blobs, Config: cfg, Logger: slog.New(slog.NewTextHandler(logs, nil)),
		Version: "test", Mail: n})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(http.NewCrossOriginProtection().Handler(web.SecurityHeaders(mux)))
	t.Cleanup(srv.Close)
	in := &mail.Intake{DB: db, Blobs: blobs, Policy: mail.DefaultPolicy, Own: []string{"support@vendor.example"}}
	return &mailSite{site: &site{t: t, db: db, srv: srv, logs: logs, blobs: blobDir}, intake: in, mail: n}
}

// deliver hands a message to the intake as the SMTP listener would.
func (ms *mailSite) deliver(t *testing.T, raw []byte) mail.Result {
	t.Helper()
	r, err := ms.intake.Deliver(t.Context(), mail.Inbound{Source: "smtp", Raw: raw, ReceivedAt: time.Now().Add(-time.Minute),
		EnvelopeTo: []string{"support@vendor.example"}})
	if err != nil {
		t.Fatalf("deliver: %v", err)
	}
	return r
}

// rawMail makes a message from header lines and a body, with CRLF line ends as on the wire.
func rawMail(header, body string) []byte {
	h := strings.TrimSpace(header) + "\nTo: Support <support@vendor.example>\nDate: Mon, 02 Mar 2026 08:58:00 +0000\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8"
	return []byte(strings.ReplaceAll(h+"\n\n"+body, "\n", "\r\n"))
}
