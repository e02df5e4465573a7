package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

func mailboxCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("mailbox: missing subcommand: add, list or remove")
	}
	switch args[0] {
	case "add":
		return mailboxAdd(ctx, e, args[1:])
	case "list":
		return mailboxList(ctx, e, args[1:])
	case "remove":
		return mailboxRemove(ctx, e, args[1:])
	}
	return usagef("mailbox: unknown subcommand %q: add, list or remove", args[0])
}

// mailboxFlags maps the fields of store.Mailbox errors to the flags that set them.
var mailboxFlags = map[string]string{"name": "name", "host": "host", "port": "port", "security": "security",
	"action": "action", "move_to": "move-to", "poll_seconds": "poll", "category": "category", "severity": "severity"}

func mailboxAdd(ctx context.Context, e env, args []string) error {
	c := newCLI("mailbox add", "mailbox add --name NAME --host HOST --user USER [--port 993] [--security tls|starttls|none] "+
		"[--folder INBOX] [--action move|seen] [--move-to FOLDER] [--category CODE] [--severity CODE] [--poll 60s] [--no-idle] "+
		"[--xoauth2] [--check] [flags] < password", e)
	m := &store.Mailbox{Active: true}
	c.fs.StringVar(&m.Name, "name", "", "short stable name of the mailbox, the source of its messages: support (required)")
	c.fs.StringVar(&m.Host, "host", "", "IMAP server (required)")
	c.fs.IntVar(&m.Port, "port", 0, "IMAP port (default 993 for tls, 143 otherwise)")
	c.fs.StringVar(&m.Security, "security", "tls", "tls (implicit TLS), starttls, or none (only for a server on this machine)")
	c.fs.StringVar(&m.Username, "user", "", "IMAP user name (required)")
	c.fs.StringVar(&m.Folder, "folder", "INBOX", "folder watched for new mail")
	c.fs.StringVar(&m.Action, "action", "", "what to do with a message once its ticket is saved: move (to --move-to) or seen (flag it); default seen, or move when --move-to is given")
	c.fs.StringVar(&m.MoveTo, "move-to", "", "folder processed messages are moved to (created if missing)")
	c.fs.StringVar(&m.Category, "category", "", "category of the tickets this mailbox opens (default: the intake's)")
	c.fs.StringVar(&m.Severity, "severity", "", "severity of the tickets this mailbox opens (default: the intake's)")
	poll := c.fs.Duration("poll", time.Minute, "polling interval, and how often IDLE is renewed (5s to 24h)")
	noIdle := c.fs.Bool("no-idle", false, "do not use IMAP IDLE: poll only")
	oauth := c.fs.Bool("xoauth2", false, "standard input holds an OAuth 2 access token for XOAUTH2 instead of a password")
	check := c.fs.Bool("check", false, "connect and log in before saving, and say how many messages wait")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "name", "host", "user"); err != nil {
		return err
	}
	if m.Action == "" && m.MoveTo != "" {
		m.Action = "move"
	}
	if *poll%time.Second != 0 {
		return usagef("--poll: %v is not a whole number of seconds", *poll)
	}
	m.PollSeconds, m.UseIDLE = int(poll.Seconds()), !*noIdle
	if m.PollSeconds == 0 {
		m.PollSeconds = -1 // refused by Validate, rather than taken for "default"
	}
	if err := m.Validate(); err != nil {
		return domainError(err, mailboxFlags)
	}
	if m.Security == "none" && !mail.IsLoopbackHost(m.Host) {
		return usagef("--security: none sends the password in clear: only for a server on this machine (localhost, 127.0.0.1); use tls or starttls")
	}
	secret, err := readSecret(e, map[bool]string{false: "password", true: "XOAUTH2 token"}[*oauth])
	if err != nil {
		return err
	}
	if *oauth {
		m.XOAuth2Token = secret
	} else {
		m.Password = secret
	}
	if *check {
		n, err := (&mail.IMAPPoller{Mailbox: *m}).Check(ctx)
		if err != nil {
			return fmt.Errorf("--check: %w", err)
		}
		fmt.Fprintf(e.stdout, "connected to %s:%d as %s: %d messages in %s\n", m.Host, m.Port, m.Username, n, m.Folder)
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SaveMailbox(cliActor(ctx, e.getenv), m); err != nil {
		return domainError(err, mailboxFlags)
	}
	after := "flagged as seen"
	if m.Action == "move" {
		after = "moved to " + m.MoveTo
	}
	fmt.Fprintf(e.stdout, "added mailbox %s: %s@%s:%d (%s), folder %s; processed messages are %s. A running opsdesk starts polling it within a minute.\n",
		m.Name, m.Username, m.Host, m.Port, m.Security, m.Folder, after)
	return nil
}

// readSecret reads the password or token from the first line of standard input; never from a
// flag, which other users of the machine could read in the process list.
func readSecret(e env, what string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintf(e.stderr, "IMAP %s (echoed; pipe it in to avoid that): ", what)
		}
	}
	var line string
	if e.stdin != nil {
		var err error
		line, err = bufio.NewReader(io.LimitReader(e.stdin, 16<<10)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the %s from standard input: %w", what, err)
		}
	}
	if s := strings.TrimRight(line, "\r\n"); s != "" {
		return s, nil
	}
	return "", usagef("the IMAP %s is read from standard input, and none was given: echo \"$IMAP_PASSWORD\" | opsdesk mailbox add …", what)
}

func mailboxList(ctx context.Context, e env, args []string) error {
	c := newCLI("mailbox list", "mailbox list [flags]", e)
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	boxes, err := db.ListMailboxes(cliActor(ctx, e.getenv))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSERVER\tSECURITY\tUSER\tAUTH\tFOLDER\tAFTER\tCATEGORY\tSEVERITY\tPOLL\tIDLE\tACTIVE\tLAST POLL\tLAST ERROR")
	for _, m := range boxes {
		auth, after, last := "password", "seen", "never"
		if m.XOAuth2Token != "" {
			auth = "xoauth2"
		}
		if m.Action == "move" {
			after = "move to " + m.MoveTo
		}
		if !m.LastPollAt.IsZero() {
			last = m.LastPollAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s:%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.Name, m.Host, m.Port, m.Security,
			m.Username, auth, m.Folder, after, dash(m.Category), dash(m.Severity), time.Duration(m.PollSeconds)*time.Second,
			yesNo(m.UseIDLE), yesNo(m.Active), last, dash(strings.ReplaceAll(m.LastError, "\n", " ")))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func mailboxRemove(ctx context.Context, e env, args []string) error {
	c := newCLI("mailbox remove", "mailbox remove --name NAME [flags]", e)
	name := c.fs.String("name", "", "name of the mailbox to remove (required)")
	cfg, err := c.parse(args)
	if err != nil {
		return err
	}
	if err := required(c.fs, "name"); err != nil {
		return err
	}
	db, _, err := c.open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cliActor(ctx, e.getenv)
	m, err := db.Mailbox(ctx, *name)
	if opsdesk.ErrorKind(err) == opsdesk.KindNotFound {
		return usagef("--name: no mailbox %s ('opsdesk mailbox list' shows them)", *name)
	}
	if err != nil {
		return err
	}
	if err := db.DeleteMailbox(ctx, m.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "removed mailbox %s; the messages it delivered stay, the ones left on the server are no longer read\n", m.Name)
	return nil
}
