package main

import (
	"database/sql"
	"encoding/json"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mailJSON runs `opsdesk mail parse` and decodes its output.
func mailJSON(t *testing.T, vars map[string]string, stdin string, args ...string) parsedMail {
	t.Helper()
	out, errOut, err := runCmd(t, vars, stdin, append([]string{"mail", "parse"}, args...)...)
	if err != nil {
		t.Fatalf("mail parse %v: %v\n%s", args, err, errOut)
	}
	var p parsedMail
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("mail parse %v: not JSON: %v\n%s", args, err, out)
	}
	return p
}

func squash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// TestMailParseCorpus runs the command on messages of ../shared/mail-corpus whose expected
// values are known, and on its bounces.
func TestMailParseCorpus(t *testing.T) {
	dir := sharedFile(t, "mail-corpus")
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expected []struct {
		File, From, Subject string
		BodyContains        []string `json:"body_contains"`
		Attachments         []string
	}
	if err := json.Unmarshal(b, &expected); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"OPSDESK_DATA_DIR": t.TempDir()}
	checked := 0
	for _, x := range expected {
		if !strings.HasPrefix(x.File, "messages/zammad-mail00") && !strings.HasPrefix(x.File, "messages/stalwart-rfc") {
			continue // a sample: the parser's own test reads them all
		}
		p := mailJSON(t, vars, "", filepath.Join(dir, x.File))
		if x.From != "" && !strings.EqualFold(p.From, x.From) {
			t.Errorf("%s: from %q, want %q", x.File, p.From, x.From)
		}
		if x.Subject != "" && squash(p.Subject) != squash(x.Subject) {
			t.Errorf("%s: subject %q, want %q", x.File, p.Subject, x.Subject)
		}
		for _, s := range x.BodyContains {
			if !strings.Contains(squash(p.Text), squash(s)) {
				t.Errorf("%s: text lacks %q", x.File, s)
			}
		}
		if p.Attachments == nil || p.Defects == nil || p.InReplyTo == nil {
			t.Errorf("%s: lists must be [] rather than null: %+v", x.File, p)
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("only %d corpus messages checked", checked)
	}
	p := mailJSON(t, vars, "", "--route=false", filepath.Join(dir, "messages", "enmime-dsn-simple_dsn.eml"))
	if !p.Bounce || !p.Robot || p.BounceReason == "" || len(p.FailedRecipients) == 0 {
		t.Errorf("simple DSN: bounce %v (%s), robot %v, failed %v", p.Bounce, p.BounceReason, p.Robot, p.FailedRecipients)
	}
}

// TestMailParseCrafted runs the command on crafted messages: attachments, an auto-reply, a
// malformed message, standard input, and the mistakes of the command line.
func TestMailParseCrafted(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"OPSDESK_DATA_DIR": dir}
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(strings.ReplaceAll(s, "\n", "\r\n")), 0o600)
		return p
	}
	att := write("att.eml", "From: Alice <alice@acme.example>\nTo: support@vendor.example\nSubject: =?utf-8?q?Caf=C3=A9?= logs\n"+
		"Message-ID: <a1@acme.example>\nIn-Reply-To: <x@vendor.example>\nReferences: <w@vendor.example> <x@vendor.example>\n"+
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nSee attached.\n"+
		"--B\nContent-Type: text/csv; name=\"data.csv\"\nContent-Disposition: attachment; filename=\"data.csv\"\n\na,b\n1,2\n--B--\n")
	p := mailJSON(t, vars, "", att)
	if p.From != "alice@acme.example" || p.FromName != "Alice" || p.Subject != "Café logs" || p.MessageID != "a1@acme.example" ||
		len(p.InReplyTo) != 1 || len(p.References) != 2 || p.Text != "See attached." || len(p.Attachments) != 1 ||
		p.Attachments[0].Name != "data.csv" || p.Attachments[0].Type != "text/csv" || p.Attachments[0].Size == 0 || p.Robot {
		t.Errorf("attachment message = %+v", p)
	}
	ooo := "From: bob@globex.example\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nAway."
	if p := mailJSON(t, vars, ooo, "-"); !p.Robot || !strings.Contains(p.RobotReason, "Auto-Submitted") || p.Bounce {
		t.Errorf("auto-reply from stdin = robot %v (%s)", p.Robot, p.RobotReason)
	}
	bad := write("bad.eml", "From: alice@acme.example\nSubject: broken\nContent-Type: multipart/mixed; boundary=nope\n\n--other\n\nbody\n--other--\n")
	if p := mailJSON(t, vars, "", bad); len(p.Defects) == 0 || !strings.Contains(p.Text, "body") {
		t.Errorf("malformed message: defects %q, text %q", p.Defects, p.Text)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "missing FILE.eml"},
		{[]string{filepath.Join(dir, "nope.eml")}, "no such file"},
		{[]string{att, bad}, "one message at a time"},
		{[]string{"--bogus", att}, "flag provided but not defined"},
	} {
		_, _, err := runCmd(t, vars, "", append([]string{"mail", "parse"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("mail parse %v: %v, want %q", c.args, err, c.want)
		}
	}
}

// TestMailParseRoute tells where intake would put messages, reading the configured database
// and changing nothing.
func TestMailParseRoute(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"OPSDESK_DATA_DIR": dir, "OPSDESK_SUPPORT_ADDRESSES": "support@vendor.example"}
	if _, _, err := runCmd(t, vars, "", "customer", "create", "--code", "ACME", "--name", "Acme", "--domain", "acme.example"); err != nil {
		t.Fatal(err)
	}
	// --route must change nothing: count every table it could touch before and after.
	tables := []string{"tickets", "mail_inbound", "ticket_messages", "contacts", "jobs"}
	countRows := func() map[string]int {
		db, err := sql.Open("sqlite", filepath.Join(dir, "opsdesk.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		n := map[string]int{}
		for _, table := range tables {
			var c int
			if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&c); err != nil {
				t.Fatal(err)
			}
			n[table] = c
		}
		return n
	}
	before := countRows()
	msg := filepath.Join(dir, "new.eml")
	os.WriteFile(msg, []byte("From: Carol <carol@acme.example>\r\nSubject: Export fails\r\nMessage-ID: <c1@acme.example>\r\n\r\nHelp."), 0o600)
	p := mailJSON(t, vars, "", msg, "--route")
	if r := p.Route; r == nil || r.Status != "ticket" || r.Customer != "ACME" || !r.NewContact || r.Ticket != "OPS-1001" ||
		!strings.Contains(r.Reason, "acme.example is a domain of ACME") {
		t.Fatalf("route = %+v", p.Route)
	}
	cases := []struct{ raw, status, reason string }{
		{"From: x@nowhere.example\r\nSubject: Hi\r\n\r\nHello.", "triage", "neither a contact nor of a customer's domain"},
		{"From: support@vendor.example\r\nSubject: Loop\r\n\r\nLoop.", "robot", "our own support address"},
		{"From: carol@acme.example\r\nSubject: Re: [OPS-1001] Export\r\n\r\nAgain.", "ticket", "OPS-1001, which does not exist"},
	}
	for _, c := range cases {
		p := mailJSON(t, vars, c.raw, "--route", "-")
		if p.Route == nil || p.Route.Status != c.status || !strings.Contains(p.Route.Reason, c.reason) {
			t.Errorf("%q: route %+v, want %s (%s)", c.raw, p.Route, c.status, c.reason)
		}
	}
	after := countRows()
	for _, table := range tables {
		if after[table] != before[table] || (table != "jobs" && after[table] != 0) {
			t.Errorf("%s: %d rows before --route, %d after: it must change nothing", table, before[table], after[table])
		}
	}
}

// TestServeWithSMTPListener starts `opsdesk serve` with the SMTP listener on, delivers a mail
// to it with the standard library client, and finds the ticket in the database after the 250.
func TestServeWithSMTPListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	vars := map[string]string{"OPSDESK_DATA_DIR": dir, "OPSDESK_SMTP_LISTEN": addr, "OPSDESK_SUPPORT_ADDRESSES": "support@vendor.example"}
	if _, _, err := runCmd(t, vars, "", "customer", "create", "--code", "ACME", "--name", "Acme", "--domain", "acme.example"); err != nil {
		t.Fatal(err)
	}
	_, stop := startServe(t, vars)
	raw := "From: Carol <carol@acme.example>\r\nTo: support@vendor.example\r\nSubject: Printer\r\nMessage-ID: <srv1@acme.example>\r\n\r\nOut of toner.\r\n"
	if err := smtp.SendMail(addr, nil, "carol@acme.example", []string{"nobody@vendor.example"}, []byte(raw)); err == nil || !strings.Contains(err.Error(), "550") {
		t.Fatalf("unknown recipient: %v", err)
	}
	if err := smtp.SendMail(addr, nil, "carol@acme.example", []string{"support@vendor.example"}, []byte(raw)); err != nil {
		t.Fatalf("send: %v", err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "opsdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var key, channel string
	if err := db.QueryRow(`SELECT key, channel FROM tickets WHERE subject = 'Printer'`).Scan(&key, &channel); err != nil || key != "OPS-1001" || channel != "mail" {
		t.Fatalf("ticket after the 250: %q %q %v", key, channel, err)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("the SMTP listener still answers after shutdown")
	}
	_, _, err = runCmd(t, map[string]string{"OPSDESK_DATA_DIR": dir, "OPSDESK_SMTP_LISTEN": addr}, "", "serve")
	if err == nil || !strings.Contains(err.Error(), "OPSDESK_SUPPORT_ADDRESSES") {
		t.Fatalf("listener without support addresses: %v", err)
	}
}
