package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// testEnv is an environment for run: OPSDESK_ variables on top of nothing else.
func testEnv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// runCmd runs one command to completion and returns its output.
func runCmd(t *testing.T, vars map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, testEnv(vars), strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// syncBuffer is a buffer written by the server goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listenRE = regexp.MustCompile(`listening on (http://\S+)`)

// startServe runs `opsdesk serve` in-process on a free port and returns its base URL and a
// function that stops it (as SIGTERM would) and returns serve's error.
func startServe(t *testing.T, vars map[string]string) (string, func() error) {
	t.Helper()
	vars["OPSDESK_LISTEN"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, testEnv(vars), strings.NewReader(""), out, errb) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := listenRE.FindStringSubmatch(out.String()); m != nil {
			stopped := false
			var serr error
			stop := func() error {
				if !stopped {
					cancel()
					serr, stopped = <-done, true
				}
				return serr
			}
			t.Cleanup(func() { stop() })
			return m[1], stop
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended before listening: %v\nstdout: %s\nstderr: %s", err, out, errb)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not print its URL: %s %s", out, errb)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeFreshDataDir starts opsdesk on a data directory that does not exist yet, with no other
// setting, as the README's first command does.
func TestServeFreshDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	base, stop := startServe(t, map[string]string{"OPSDESK_DATA_DIR": dir})
	if _, err := os.Stat(filepath.Join(dir, "opsdesk.db")); err != nil {
		t.Fatalf("database not created in the data directory: %v", err)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/login": 200, "/setup": 200} {
		if code, _ := get(t, base+path); code != want {
			t.Errorf("GET %s = %d, want %d", path, code, want)
		}
	}
	_, metrics := get(t, base+"/metrics")
	for _, m := range []string{`opsdesk_http_requests_total{code="200",method="GET",route="GET /healthz"}`, "opsdesk_http_request_duration_seconds_bucket", `go_sql_max_open_connections{db_name="opsdesk"}`, "go_goroutines"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	// Migrations were applied and recorded: a second start applies none.
	db, err := store.Open(context.Background(), filepath.Join(dir, "opsdesk.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if applied, err := db.Migrate(context.Background()); err != nil || len(applied) != 0 {
		t.Fatalf("after serve, migrate applied %v, %v", applied, err)
	}
}

func TestServeOnPostgres(t *testing.T) {
	for _, d := range storetest.Dialects() {
		if d != store.Postgres {
			continue
		}
		base, stop := startServe(t, map[string]string{"OPSDESK_DATABASE_URL": storetest.DSN(t, d), "OPSDESK_DATA_DIR": t.TempDir()})
		if code, body := get(t, base+"/readyz"); code != 200 {
			t.Fatalf("readyz on PostgreSQL = %d %s", code, body)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadConfigurationIsOneClearLine(t *testing.T) {
	tests := []struct {
		vars map[string]string
		args []string
		want string
	}{
		{map[string]string{"OPSDESK_LISTEN": "nonsense"}, nil, `OPSDESK_LISTEN: "nonsense" is not host:port`},
		{nil, []string{"--listen", "127.0.0.1:99999"}, `--listen: port "99999" is not a number from 0 to 65535`},
		{map[string]string{"OPSDESK_BASE_URL": "ftp://x"}, nil, `OPSDESK_BASE_URL: "ftp://x" is not an http(s) URL`},
		{map[string]string{"OPSDESK_LANG": "de"}, nil, `OPSDESK_LANG: "de" is not fr or en`},
		{map[string]string{"OPSDESK_DATABASE_URL": "mysql://u:secret@h/db"}, nil, `OPSDESK_DATABASE_URL: "mysql://u:xxxxx@h/db": use a file path for SQLite or a postgres:// URL`},
		{map[string]string{"OPSDESK_SESSION_TTL": "1s"}, nil, `OPSDESK_SESSION_TTL: "1s" is not a duration from 5m to 720h`},
		{map[string]string{"OPSDESK_WORKERS": "0"}, nil, `OPSDESK_WORKERS: "0" is not a number from 1 to 64`},
		{nil, []string{"--sqlite-sync", "off"}, `--sqlite-sync: "off" is not normal or full`},
		{map[string]string{"OPSDESK_TICKET_PREFIX": "ops"}, nil, `OPSDESK_TICKET_PREFIX: "ops" is not 2 to 10 capital letters`},
		{map[string]string{"OPSDESK_MAX_UPLOAD": "lots"}, nil, `OPSDESK_MAX_UPLOAD: "lots" is not a size from 1KB to 2GB`},
	}
	for _, tt := range tests {
		_, _, err := runCmd(t, tt.vars, "", append([]string{"serve"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("serve %v %v: error %q, want one line containing %q", tt.vars, tt.args, err, tt.want)
		}
		if _, ok := err.(usageError); !ok {
			t.Errorf("bad configuration should exit 2 (usageError), got %T", err)
		}
	}
}

func TestServeHelpDocumentsEverySetting(t *testing.T) {
	out, errOut, err := runCmd(t, nil, "", "serve", "--help")
	if err != nil {
		t.Fatal(err)
	}
	help := out + errOut
	for _, s := range []string{"OPSDESK_LISTEN", "OPSDESK_BASE_URL", "OPSDESK_DATA_DIR", "OPSDESK_DATABASE_URL", "OPSDESK_LANG",
		"OPSDESK_LOG_LEVEL", "OPSDESK_LOG_FORMAT", "OPSDESK_SESSION_TTL", "OPSDESK_SQLITE_SYNC", "OPSDESK_WORKERS", "OPSDESK_TRUST_PROXY", "OPSDESK_SHUTDOWN_GRACE", "OPSDESK_TICKET_PREFIX", "OPSDESK_MAX_UPLOAD"} {
		if !strings.Contains(help, s) {
			t.Errorf("serve --help does not document %s", s)
		}
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "version")
	if err != nil || !strings.HasPrefix(out, "opsdesk ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, _, err := runCmd(t, nil, "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
}

// scanLines returns the value after "key: " in out.
func valueAfter(out, key string) string {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+": "); ok {
			return v
		}
	}
	return ""
}
