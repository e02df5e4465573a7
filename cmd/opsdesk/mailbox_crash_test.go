package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail/mailtest"
	"github.com/opsdesk/opsdesk/internal/store"
)

// imapSetup is a Dovecot holding n requests in INBOX, and a data directory with customer ACME
// and mailbox "support" reading that INBOX, moving processed messages to Processed.
func imapSetup(tb testing.TB, n int) (dc *mailtest.Dovecot, dataDir string) {
	tb.Helper()
	dc = mailtest.StartDovecot(tb, mailtest.DovecotOptions{})
	raws := make([][]byte, n)
	for i := range raws {
		raws[i] = []byte(strings.ReplaceAll(fmt.Sprintf("From: Customer %d <crash%d@acme.example>\nTo: support@vendor.example\n"+
			"Subject: Request %d\nMessage-ID: <crash-%d@acme.example>\nDate: Mon, 02 Mar 2026 08:58:00 +0000\n"+
			"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nThe nightly export %d failed again.\n", i, i, i, i, i), "\n", "\r\n"))
	}
	dc.Drop(tb, "INBOX", raws...)
	dataDir = tb.TempDir()
	vars := map[string]string{"OPSDESK_DATA_DIR": dataDir}
	host, port, _ := net.SplitHostPort(dc.Addr)
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"customer", "create", "--code", "ACME", "--name", "Acme", "--domain", "acme.example"}},
		{dc.Password + "\n", []string{"mailbox", "add", "--name", "support", "--host", host, "--port", port, "--security", "none",
			"--user", dc.User, "--move-to", "Processed", "--poll", "5s"}},
	} {
		var out, errb strings.Builder
		if err := run(context.Background(), c.args, testEnv(vars), strings.NewReader(c.stdin), &out, &errb); err != nil {
			tb.Fatalf("%v: %v\n%s", c.args, err, errb.String())
		}
	}
	return dc, dataDir
}

// startOpsdesk runs `opsdesk serve` as its own process and waits until it listens.
func startOpsdesk(tb testing.TB, dataDir string, env ...string) *exec.Cmd {
	tb.Helper()
	cmd := exec.Command(opsdeskBinary(tb), "serve")
	cmd.Env = append(os.Environ(), append([]string{"OPSDESK_DATA_DIR=" + dataDir, "OPSDESK_LISTEN=127.0.0.1:0",
		"OPSDESK_LOG_LEVEL=warn"}, env...)...)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	up := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if listenRE.MatchString(sc.Text()) {
				up <- true
			}
		}
	}()
	select {
	case <-up:
	case <-time.After(60 * time.Second):
		tb.Fatal("opsdesk did not start listening")
	}
	return cmd
}

// openSQL opens the instance's SQLite database for plain SQL, next to the running process.
func openSQL(tb testing.TB, dataDir string) *sql.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dataDir, "opsdesk.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db.SQL()
}

func countSQL(tb testing.TB, db *sql.DB, q string) int {
	tb.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestIMAPCrashExactlyOnce kills opsdesk (SIGKILL) in the middle of the intake of 300 messages
// from a real IMAP server, starts it again, and proves with plain SQL that every message is in
// exactly once: one inbound record and one ticket per Message-ID, and every message moved.
func TestIMAPCrashExactlyOnce(t *testing.T) {
	const n = 300
	dc, dataDir := imapSetup(t, n)
	db := openSQL(t, dataDir)

	p := startOpsdesk(t, dataDir)
	deadline := time.Now().Add(60 * time.Second)
	for countSQL(t, db, `SELECT COUNT(*) FROM tickets`) < 75 {
		if time.Now().After(deadline) {
			t.Fatalf("no 75 tickets after 60s\n%s", dc.Log())
		}
		time.Sleep(2 * time.Millisecond)
	}
	p.Process.Kill()
	p.Wait()
	before := countSQL(t, db, `SELECT COUNT(*) FROM tickets`)
	left, _ := dc.Count(t, "INBOX")
	t.Logf("killed with %d tickets committed and %d messages still in INBOX: %d committed but not acknowledged, to come again",
		before, left, before-(n-left))
	if before >= n || left == 0 {
		t.Fatalf("the kill came after the intake ended (%d tickets, %d left): nothing was tested", before, left)
	}

	startOpsdesk(t, dataDir)
	deadline = time.Now().Add(120 * time.Second)
	for {
		in, _ := dc.Count(t, "INBOX")
		if in == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after restart, %d messages still in INBOX after 120s", in)
		}
		time.Sleep(100 * time.Millisecond)
	}

	if got := countSQL(t, db, `SELECT COUNT(*) FROM mail_inbound WHERE source = 'support'`); got != n {
		t.Errorf("inbound records: %d, want %d", got, n)
	}
	if got := countSQL(t, db, `SELECT COUNT(DISTINCT message_id) FROM mail_inbound WHERE message_id LIKE 'crash-%@acme.example'`); got != n {
		t.Errorf("distinct Message-IDs recorded: %d, want %d", got, n)
	}
	if got := countSQL(t, db, `SELECT COUNT(*) FROM (SELECT message_id FROM mail_inbound GROUP BY message_id HAVING COUNT(*) <> 1) x`); got != 0 {
		t.Errorf("%d Message-IDs recorded more than once", got)
	}
	if got := countSQL(t, db, `SELECT COUNT(*) FROM tickets`); got != n {
		t.Errorf("tickets: %d, want %d", got, n)
	}
	if got := countSQL(t, db, `SELECT COUNT(DISTINCT ticket_id) FROM mail_inbound WHERE status = 'ticket'`); got != n {
		t.Errorf("tickets opened by a recorded message: %d, want %d", got, n)
	}
	if got := countSQL(t, db, `SELECT COUNT(*) FROM (SELECT subject FROM tickets GROUP BY subject HAVING COUNT(*) <> 1) x`); got != 0 {
		t.Errorf("%d requests have more than one ticket", got)
	}
	if got := countSQL(t, db, `SELECT COUNT(*) FROM ticket_messages m JOIN mail_inbound i ON i.id = m.inbound_id`); got != n {
		t.Errorf("ticket messages from mail: %d, want %d", got, n)
	}
	if moved, _ := dc.Count(t, "Processed"); moved != n {
		t.Errorf("messages in Processed: %d, want %d", moved, n)
	}
	var lastErr string
	db.QueryRow(`SELECT last_error FROM mailboxes WHERE name = 'support'`).Scan(&lastErr)
	if lastErr != "" {
		t.Errorf("mailbox error after the intake: %s", lastErr)
	}
}

// BenchmarkIMAPIntake measures the intake rate of the opsdesk binary from a local IMAP folder to
// committed tickets on SQLite, with b.N messages waiting in the folder before it starts (run
// with -benchtime 10000x), and its peak resident memory. The time runs from starting the
// process to the last ticket committed and the folder empty. Results are in docs/benchmarks.md.
func BenchmarkIMAPIntake(b *testing.B) {
	dc, dataDir := imapSetup(b, b.N)
	db := openSQL(b, dataDir)
	b.ResetTimer()
	p := startOpsdesk(b, dataDir, "OPSDESK_MAIL_RATE=0")
	for countSQL(b, db, `SELECT COUNT(*) FROM tickets`) < b.N { // looked at seldom, to take little CPU
		time.Sleep(200 * time.Millisecond)
	}
	for in, _ := dc.Count(b, "INBOX"); in > 0; in, _ = dc.Count(b, "INBOX") {
		time.Sleep(50 * time.Millisecond)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(vmHWM(b, p.Process.Pid), "MB-peak-RSS")
	b.ReportMetric(float64(cpuOf(b, p.Process.Pid).Microseconds())/float64(b.N), "opsdesk-cpu-µs/msg")
}

// cpuOf is the CPU time (user and system) a process used so far.
func cpuOf(tb testing.TB, pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		tb.Fatal(err)
	}
	// The fields after the command name, which is in parentheses: utime and stime are the 12th
	// and 13th, in clock ticks (100 a second on Linux).
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// vmHWM is a process's peak resident memory so far, in MB.
func vmHWM(tb testing.TB, pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024
		}
	}
	return 0
}
