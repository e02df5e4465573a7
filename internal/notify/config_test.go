package notify_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func resolve(env map[string]string) (config.Config, error) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := config.Bind(fs, func(k string) string { return env[k] })
	fs.Parse(nil)
	return b.Resolve()
}

// TestSettings: the mail settings are checked at start, naming the setting, and reach the notifier.
func TestSettings(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"OPSDESK_SMTP_RELAY": "smtp.vendor.example"}, "OPSDESK_SMTP_RELAY: "},
		{map[string]string{"OPSDESK_SMTP_RELAY": "smtp.vendor.example:587"}, "OPSDESK_MAIL_FROM: is required"},
		{map[string]string{"OPSDESK_SMTP_RELAY": "smtp.vendor.example:587", "OPSDESK_MAIL_FROM": "support@", "OPSDESK_SMTP_TLS": "starttls"}, "OPSDESK_MAIL_FROM: "},
		{map[string]string{"OPSDESK_SMTP_TLS": "ssl"}, "OPSDESK_SMTP_TLS: "},
		{map[string]string{"OPSDESK_SMTP_RELAY": "smtp.vendor.example:25", "OPSDESK_SMTP_USER": "desk", "OPSDESK_MAIL_FROM": "support@vendor.example"}, "password in clear"},
	} {
		if _, err := resolve(c.env); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.env, err, c.want)
		}
	}
	cfg, err := resolve(map[string]string{"OPSDESK_SMTP_RELAY": "127.0.0.1:25", "OPSDESK_SMTP_USER": "desk", "OPSDESK_SMTP_PASSWORD": "pw",
		"OPSDESK_MAIL_FROM": "Équipe Support <support@vendor.example>", "OPSDESK_BASE_URL": "https://desk.vendor.example"})
	if err != nil {
		t.Fatal(err) // credentials without TLS are allowed to a loopback relay
	}
	opt := notify.FromConfig(cfg)
	if opt.Relay != "127.0.0.1:25" || opt.User != "desk" || opt.Password != "pw" || opt.TLS != "none" ||
		opt.From != "Équipe Support <support@vendor.example>" || opt.BaseURL != "https://desk.vendor.example" || opt.Lang != "en" {
		t.Errorf("options = %+v", opt)
	}
	db := storetest.Open(t, store.SQLite)
	if _, err := notify.New(db, opt); err != nil {
		t.Error(err)
	}
	if _, err := notify.New(db, notify.Options{BaseURL: "http://127.0.0.1:8080"}); err != nil {
		t.Errorf("default support address: %v", err)
	}
	if _, err := notify.New(db, notify.Options{TLS: "ssl"}); err == nil {
		t.Error("a bad TLS mode is accepted")
	}
}
