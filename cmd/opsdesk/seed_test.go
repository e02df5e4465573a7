package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// seedVars is the environment of a seed on a fresh database of dialect d.
func seedVars(t *testing.T, d store.Dialect) (map[string]string, string) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "opsdesk.db")
	vars := map[string]string{"OPSDESK_DATA_DIR": dir, "OPSDESK_LOG_LEVEL": "warn"}
	if d == store.Postgres {
		dsn = storetest.DSN(t, d)
		vars["OPSDESK_DATABASE_URL"] = dsn
	}
	return vars, dsn
}

// TestSeedCommand runs `opsdesk seed` twice on a fresh database: each run adds its tickets on
// new customers, prints the summary on standard output and, standard error not being a
// terminal, plain progress lines at every tenth ending at 100 %.
func TestSeedCommand(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			vars, dsn := seedVars(t, d)
			out, errOut, err := runCmd(t, vars, "", "seed", "--tickets", "40", "--customers", "2", "--days", "30")
			if err != nil {
				t.Fatalf("seed: %v\n%s", err, errOut)
			}
			for _, want := range []string{"Seeding 40 tickets over 30 days on 2 new customers", "customers created: 2 (SEED00001, SEED00002)",
				"agents created: 7", "knowledge articles created: 5", "tickets created: 40, from "} {
				if !strings.Contains(out, want) {
					t.Errorf("standard output lacks %q:\n%s", want, out)
				}
			}
			checkProgressLines(t, errOut, 40)

			out, _, err = runCmd(t, vars, "", "seed", "--tickets", "40", "--customers", "2", "--days", "30", "--seed", "9")
			if err != nil || !strings.Contains(out, "customers created: 2 (SEED00003, SEED00004)") || strings.Contains(out, "agents created") {
				t.Fatalf("second seed: %v\n%s", err, out)
			}
			db, err := store.Open(context.Background(), dsn, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sys := opsdesk.WithActor(context.Background(), opsdesk.System("test"))
			for code, want := range map[string]int{"SEED00001": -1, "SEED00003": -1, "": 80} {
				f := opsdesk.TicketFilter{}
				if code != "" {
					c, err := db.CustomerByCode(sys, code)
					if err != nil {
						t.Fatalf("%s: %v", code, err)
					}
					f.CustomerID = c.ID
				}
				n, err := db.CountTickets(sys, f)
				if err != nil || (want >= 0 && n != want) || (want < 0 && n == 0) {
					t.Errorf("tickets of %q: %d (%v), want %d (-1: some)", code, n, err, want)
				}
			}
		})
	}
}

// checkProgressLines checks the plain progress report of total tickets: lines that each say how
// many are made, one at least at every tenth, the last at 100 %.
func checkProgressLines(t *testing.T, errOut string, total int) {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(errOut), "\n") {
		if strings.HasPrefix(l, "seeding: ") {
			lines = append(lines, l)
		}
	}
	if strings.Contains(errOut, "\r") || len(lines) < 10 {
		t.Fatalf("progress on a non-terminal: want plain lines, one per tenth at least:\n%q", errOut)
	}
	for tenth := 1; tenth <= 10; tenth++ {
		want := fmt.Sprintf("seeding: %d/%d tickets  %3d %%", total*tenth/10, total, tenth*10)
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("no progress line %q in:\n%s", want, errOut)
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, fmt.Sprintf("seeding: %d/%d tickets  100 %%", total, total)) {
		t.Errorf("last progress line %q: want 100 %%", last)
	}
}

// TestSeedBadFlags checks that a bad seed flag is one line naming it, exit status 2, before any
// database is opened.
func TestSeedBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "--tickets is required"},
		{[]string{"--tickets", ""}, "--tickets is required"},
		{[]string{"--tickets", "abc"}, `--tickets: "abc" is not a whole number from 1 to 100,000,000`},
		{[]string{"--tickets", "0"}, `--tickets: "0" is not a whole number`},
		{[]string{"--tickets", "-5"}, `--tickets: "-5" is not a whole number`},
		{[]string{"--tickets", "1.5"}, `--tickets: "1.5" is not a whole number`},
		{[]string{"--tickets", "10", "--customers", "0"}, `--customers: "0" is not a whole number from 1`},
		{[]string{"--tickets", "10", "--customers", "many"}, `--customers: "many" is not a whole number`},
		{[]string{"--tickets", "10", "--days", "0"}, `--days: "0" is not a whole number from 1 to 3,650`},
		{[]string{"--tickets", "10", "--seed", "x"}, `--seed: "x" is not a whole number greater than 0`},
		{[]string{"--tickets", "10", "extra"}, `unexpected argument "extra"`},
	} {
		dir := t.TempDir()
		_, _, err := runCmd(t, map[string]string{"OPSDESK_DATA_DIR": dir}, "", append([]string{"seed"}, tt.args...)...)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("seed %q: %v, want a usage error (exit 2) of one line with %q", tt.args, err, tt.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "opsdesk.db")); err == nil {
			t.Errorf("seed %q: the database was opened before the flags were checked", tt.args)
		}
	}
}

// cancelOnWrite cancels a context at the first progress line written to it.
type cancelOnWrite struct {
	syncBuffer
	cancel context.CancelFunc
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "seeding: ") {
		c.cancel()
	}
	return c.syncBuffer.Write(p)
}

// TestSeedInterrupted interrupts a seed at its first progress line (10 %, as Ctrl-C would): it
// stops after that ticket, prints what it made and says so, exit status 1.
func TestSeedInterrupted(t *testing.T) {
	vars, dsn := seedVars(t, store.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errb := &syncBuffer{}, &cancelOnWrite{cancel: cancel}
	err := run(ctx, []string{"seed", "--tickets", "200"}, testEnv(vars), strings.NewReader(""), out, errb)
	var u usageError
	if err == nil || errors.As(err, &u) || !strings.Contains(err.Error(), "seed interrupted: 20 of 200 tickets made") {
		t.Fatalf("interrupted seed: %v, want an error (exit 1) saying 20 of 200 were made", err)
	}
	if !strings.Contains(out.String(), "tickets created: 20,") {
		t.Errorf("summary of the interrupted seed:\n%s", out)
	}
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM tickets`).Scan(&n); err != nil || n != 20 {
		t.Errorf("%d tickets committed (%v), want 20", n, err)
	}
}

// TestProgressBar draws progress with a fake clock: plain lines at each tenth and every five
// seconds when nothing else is due; on a terminal one line redrawn with \r, ended at the end.
func TestProgressBar(t *testing.T) {
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return at }

	var plain strings.Builder
	p := newProgressBar(&plain, 1000, clock)
	for i := 1; i <= 1000; i++ {
		at = at.Add(10 * time.Millisecond)
		if i == 150 {
			at = at.Add(6 * time.Second) // a slow ticket: a line after five seconds, mid-tenth
		}
		p.update(i)
	}
	p.end()
	lines := strings.Split(strings.TrimSpace(plain.String()), "\n")
	if len(lines) != 11 || !strings.HasPrefix(lines[1], "seeding: 150/1,000 tickets   15 %") ||
		!strings.HasPrefix(lines[10], "seeding: 1,000/1,000 tickets  100 %") {
		t.Errorf("plain progress: %d lines:\n%s", len(lines), plain.String())
	}

	var term strings.Builder
	p = newProgressBar(&term, 4, clock)
	p.tty = true
	for i := 1; i <= 4; i++ {
		at = at.Add(time.Second)
		p.update(i)
	}
	p.end()
	s := term.String()
	if strings.Count(s, "\r") != 4 || strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") ||
		!strings.Contains(s, "seeding  [##############################]  4/4 tickets  100 %  1/s  eta 0s") {
		t.Errorf("terminal progress: %q", s)
	}
}

// TestBulkURL checks that the seed's PostgreSQL sessions commit without waiting for the log
// flush, unless the URL already chooses.
func TestBulkURL(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:p@db:5432/opsdesk":                                  "postgres://u:p@db:5432/opsdesk?synchronous_commit=off",
		"postgres://db/opsdesk?sslmode=disable":                           "postgres://db/opsdesk?sslmode=disable&synchronous_commit=off",
		"postgres://db/opsdesk?synchronous_commit=on&sslmode=disable":     "postgres://db/opsdesk?synchronous_commit=on&sslmode=disable",
		"postgresql://db/opsdesk?search_path=s1&synchronous_commit=local": "postgresql://db/opsdesk?search_path=s1&synchronous_commit=local",
	} {
		if got := bulkURL(in); got != want {
			t.Errorf("bulkURL(%q) = %q, want %q", in, got, want)
		}
	}
}
