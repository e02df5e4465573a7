package config

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func resolve(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	b := Bind(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return b.Resolve()
}

func TestDefaultsAndPrecedence(t *testing.T) {
	c, err := resolve(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.DataDir != "opsdesk-data" || c.DatabaseURL != "opsdesk-data/opsdesk.db" ||
		c.BaseURL != "http://127.0.0.1:8080" || c.Lang != "en" || c.SessionTTL != 12*time.Hour || c.TicketPrefix != "OPS" || c.MaxUpload != 25<<20 {
		t.Fatalf("defaults = %+v", c)
	}
	c, _ = resolve(t, map[string]string{"OPSDESK_LISTEN": "0.0.0.0:9000", "OPSDESK_DATA_DIR": "/srv/od", "OPSDESK_LANG": "FR"}, "--listen", "127.0.0.1:7000")
	if c.Listen != "127.0.0.1:7000" || c.DatabaseURL != "/srv/od/opsdesk.db" || c.Lang != "fr" {
		t.Fatalf("flag over env over default: %+v", c)
	}
	c, _ = resolve(t, map[string]string{"OPSDESK_DATABASE_URL": "postgres://u:pw@db/opsdesk", "OPSDESK_BASE_URL": "https://desk.example/", "OPSDESK_MAX_UPLOAD": "512kb"})
	if !c.Postgres() || c.BaseURL != "https://desk.example" || !c.SecureCookies() || c.RedactedDatabaseURL() != "postgres://u:xxxxx@db/opsdesk" || c.MaxUpload != 512<<10 {
		t.Fatalf("postgres config: %+v", c)
	}
}

func TestErrorsNameTheSource(t *testing.T) {
	_, err := resolve(t, map[string]string{"OPSDESK_WORKERS": "many"})
	if err == nil || !strings.HasPrefix(err.Error(), "OPSDESK_WORKERS: ") {
		t.Errorf("env error: %v", err)
	}
	_, err = resolve(t, nil, "--workers", "0")
	if err == nil || !strings.HasPrefix(err.Error(), "--workers: ") {
		t.Errorf("flag error: %v", err)
	}
	_, err = resolve(t, map[string]string{"OPSDESK_BASE_URL": "https://desk.example/support"})
	if err == nil || !strings.Contains(err.Error(), "without a path") {
		t.Errorf("base URL with a path: %v", err)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var b strings.Builder
	Help(&b)
	for _, s := range settings() {
		if !strings.Contains(b.String(), s.env) || !strings.Contains(b.String(), "--"+s.flag) {
			t.Errorf("help lacks %s / --%s", s.env, s.flag)
		}
	}
}

// TestREADMEDocumentsEverySetting keeps the README's configuration table in step with the code.
func TestREADMEDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings() {
		row := "| `" + s.env + "` | `--" + s.flag + "` |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md has no configuration row starting %s", row)
		}
	}
}

// TestHelpHidesSecrets: a password in the environment never shows as a flag default.
func TestHelpHidesSecrets(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var out strings.Builder
	fs.SetOutput(&out)
	env := map[string]string{"OPSDESK_DATABASE_URL": "postgres://u:hunter2@db/opsdesk", "OPSDESK_SMTP_PASSWORD": "hunter3"}
	b := Bind(fs, func(k string) string { return env[k] })
	fs.PrintDefaults()
	if strings.Contains(out.String(), "hunter") {
		t.Fatalf("--help shows a secret:\n%s", out.String())
	}
	fs.Parse(nil)
	c, err := b.Resolve()
	if err != nil || c.DatabaseURL != env["OPSDESK_DATABASE_URL"] || c.SMTPPassword != "hunter3" {
		t.Fatalf("secrets from the environment not used: %+v %v", c, err)
	}
}

// TestSLAWarn: the warning share defaults to 0.75, is read from OPSDESK_SLA_WARN or --sla-warn,
// and anything but a number strictly between 0 and 1 stops the program naming the setting.
func TestSLAWarn(t *testing.T) {
	c, err := resolve(t, nil)
	if err != nil || c.SLAWarn != 0.75 {
		t.Fatalf("default SLA warning share = %v (%v), want 0.75", c.SLAWarn, err)
	}
	c, err = resolve(t, map[string]string{"OPSDESK_SLA_WARN": "0.9"})
	if err != nil || c.SLAWarn != 0.9 {
		t.Fatalf("OPSDESK_SLA_WARN=0.9 gives %v (%v)", c.SLAWarn, err)
	}
	c, err = resolve(t, map[string]string{"OPSDESK_SLA_WARN": "0.9"}, "--sla-warn", "0.5")
	if err != nil || c.SLAWarn != 0.5 {
		t.Fatalf("--sla-warn 0.5 over the variable gives %v (%v)", c.SLAWarn, err)
	}
	for _, v := range []string{"0", "1", "1.5", "-0.2", "abc", "75%", "NaN", "Inf"} {
		_, err := resolve(t, map[string]string{"OPSDESK_SLA_WARN": v})
		if err == nil || !strings.HasPrefix(err.Error(), "OPSDESK_SLA_WARN: ") || !strings.Contains(err.Error(), "above 0 and below 1") {
			t.Errorf("OPSDESK_SLA_WARN=%q: error %v, want one naming the setting and the range", v, err)
		}
	}
	if _, err := resolve(t, nil, "--sla-warn", "abc"); err == nil || !strings.HasPrefix(err.Error(), "--sla-warn: ") {
		t.Errorf("--sla-warn abc: %v", err)
	}
}
