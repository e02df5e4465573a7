package main

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/mail/mailtest"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

func TestMailboxCommands(t *testing.T) {
	vars := map[string]string{"OPSDESK_DATA_DIR": t.TempDir(), "USER": "tester"}
	dc := mailtest.StartDovecot(t, mailtest.DovecotOptions{})
	dc.Append(t, "INBOX", []byte("Subject: waiting\r\n\r\nA request.\r\n"), []byte("Subject: waiting too\r\n\r\nAnother.\r\n"))
	host, port, _ := net.SplitHostPort(dc.Addr)
	local := []string{"--host", host, "--port", port, "--security", "none", "--user", dc.User}

	out, _, err := runCmd(t, vars, dc.Password+"\n", append([]string{"mailbox", "add", "--name", "support", "--move-to", "Processed",
		"--category", "application", "--severity", "major", "--poll", "30s", "--check"}, local...)...)
	if err != nil || !strings.Contains(out, "2 messages in INBOX") || !strings.Contains(out, "added mailbox support") ||
		!strings.Contains(out, "moved to Processed") {
		t.Fatalf("mailbox add --check: %q %v", out, err)
	}
	if n, _ := dc.Count(t, "INBOX"); n != 2 {
		t.Fatalf("--check changed the folder: %d messages left", n)
	}
	out, _, err = runCmd(t, vars, "an-app-token\n", "mailbox", "add", "--name", "gmail", "--host", "imap.gmail.example",
		"--user", "support@vendor.example", "--xoauth2", "--action", "seen", "--no-idle")
	if err != nil || !strings.Contains(out, "flagged as seen") || !strings.Contains(out, ":993 (tls)") {
		t.Fatalf("mailbox add --xoauth2: %q %v", out, err)
	}

	bad := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--user", "u"}, "--host is required"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h"}, "--user is required"},
		{"pw\n", []string{"mailbox", "add", "--name", "Bad Name!", "--host", "h", "--user", "u"}, "--name: must be 1 to 40"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--security", "ssl"}, "--security: must be tls, starttls or none"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--action", "move"}, "--move-to: is required"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--action", "delete"}, "--action: must be move or seen"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--poll", "1s"}, "--poll: must be from 5 to 86400"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--poll", "0s"}, "--poll: must be from 5 to 86400"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--port", "70000"}, "--port: must be from 1 to 65535"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "imap.example.com", "--user", "u", "--security", "none"}, "--security: none sends the password in clear"},
		{"", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u"}, "read from standard input, and none was given"},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--category", "nope"}, `--category: "nope" is not a category`},
		{"pw\n", []string{"mailbox", "add", "--name", "x", "--host", "h", "--user", "u", "--severity", "nope"}, "--severity:"},
		{"pw\n", []string{"mailbox", "add", "--name", "support", "--host", "h", "--user", "u"}, "--name: a mailbox named support already exists"},
		{"wrong\n", append([]string{"mailbox", "add", "--name", "x", "--check"}, local...), "--check: imap " + dc.Addr + ": log in as support"},
		{"", []string{"mailbox", "remove"}, "--name is required"},
		{"", []string{"mailbox", "remove", "--name", "nope"}, "--name: no mailbox nope"},
		{"", []string{"mailbox", "frobnicate"}, `unknown subcommand "frobnicate"`},
		{"", []string{"mailbox", "add", "--password", "secret"}, "flag provided but not defined: -password"},
	}
	for _, b := range bad {
		_, _, err := runCmd(t, vars, b.stdin, b.args...)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%v: error %v, want %q", b.args, err, b.want)
		}
	}

	out, _, err = runCmd(t, vars, "", "mailbox", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "gmail") || !strings.Contains(lines[1], "xoauth2") ||
		!strings.Contains(lines[2], "support") || !strings.Contains(lines[2], "move to Processed") || !strings.Contains(lines[2], "application") ||
		!strings.Contains(lines[2], "30s") || strings.Contains(out, dc.Password) || strings.Contains(out, "an-app-token") {
		t.Fatalf("mailbox list:\n%s", out)
	}

	// The secrets are stored for the poller.
	db, err := store.Open(context.Background(), filepath.Join(vars["OPSDESK_DATA_DIR"], "opsdesk.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	admin := opsdesk.WithActor(context.Background(), opsdesk.System("t"))
	if m, err := db.Mailbox(admin, "support"); err != nil || m.Password != dc.Password || m.Action != "move" || m.UseIDLE != true || m.PollSeconds != 30 {
		t.Fatalf("stored mailbox: %+v %v", m, err)
	}
	if m, err := db.Mailbox(admin, "gmail"); err != nil || m.XOAuth2Token != "an-app-token" || m.Password != "" || m.UseIDLE {
		t.Fatalf("stored mailbox: %+v %v", m, err)
	}

	out, _, err = runCmd(t, vars, "", "mailbox", "remove", "--name", "gmail")
	if err != nil || !strings.Contains(out, "removed mailbox gmail") {
		t.Fatalf("mailbox remove: %q %v", out, err)
	}
	if out, _, _ = runCmd(t, vars, "", "mailbox", "list"); strings.Contains(out, "gmail") {
		t.Fatalf("removed mailbox still listed:\n%s", out)
	}
}
