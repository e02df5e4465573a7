package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/mail/parse"
	"github.com/opsdesk/opsdesk/internal/store"
)

func mailCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("mail: missing subcommand: parse")
	}
	switch args[0] {
	case "parse":
		return mailParse(ctx, e, args[1:])
	}
	return usagef("mail: unknown subcommand %q: parse", args[0])
}

// parsedMail is what `opsdesk mail parse` prints: the parser's reading of a message and, with
// --route, where intake would put it.
type parsedMail struct {
	From              string           `json:"from"`
	FromName          string           `json:"from_name"`
	To                []string         `json:"to"`
	Cc                []string         `json:"cc"`
	ReplyTo           string           `json:"reply_to,omitempty"`
	Subject           string           `json:"subject"`
	Date              string           `json:"date,omitempty"`
	MessageID         string           `json:"message_id"`
	InReplyTo         []string         `json:"in_reply_to"`
	References        []string         `json:"references"`
	Text              string           `json:"text"`
	TextNew           string           `json:"text_new"`
	HTML              string           `json:"html"`
	Attachments       []mailAttachment `json:"attachments"`
	Robot             bool             `json:"robot"`
	RobotReason       string           `json:"robot_reason,omitempty"`
	Bounce            bool             `json:"bounce"`
	BounceReason      string           `json:"bounce_reason,omitempty"`
	FailedRecipients  []string         `json:"failed_recipients,omitempty"`
	OriginalMessageID string           `json:"original_message_id,omitempty"`
	Defects           []string         `json:"defects"`
	Route             *mailRoute       `json:"route,omitempty"`
}

type mailAttachment struct {
	Name        string `json:"name"`
	Type        string `json:"type"`         // as declared
	SniffedType string `json:"sniffed_type"` // as detected from the content
	Size        int    `json:"size"`
	Inline      bool   `json:"inline"`
	ContentID   string `json:"content_id,omitempty"`
}

type mailRoute struct {
	Source      string `json:"source"`
	Status      string `json:"status"` // ticket, reply, reopened, follow_up, triage, bounce, robot, rate_limited
	Ticket      string `json:"ticket,omitempty"`
	Customer    string `json:"customer,omitempty"`
	Contact     string `json:"contact,omitempty"`
	NewContact  bool   `json:"new_contact"`
	NoAutoreply bool   `json:"no_autoreply"`
	Duplicate   bool   `json:"duplicate"`
	Reason      string `json:"reason"`
}

// mailParse prints what the parser makes of a message and, with --route, where intake would
// put it and why: the same code as intake, in a transaction that is rolled back.
func mailParse(ctx context.Context, e env, args []string) error {
	c := newCLI("mail parse", "mail parse FILE.eml [--route] [--source NAME] [flags]\n\n"+
		"Prints, as JSON, what opsdesk's parser reads in a message (FILE - reads standard input); with --route,\n"+
		"also where intake would put it and why, reading the database without changing it", e)
	route := c.fs.Bool("route", false, "also tell where intake would put the message and why (changes nothing)")
	source := c.fs.String("source", "smtp", "with --route: the mailbox the message arrives through (\"smtp\" for the listener)")
	file, err := parseFileArgs(c.fs, args)
	if err != nil {
		return err
	}
	cfg, err := c.binding.Resolve()
	if err != nil {
		return usageError{err}
	}
	raw, err := readMail(e, file)
	if err != nil {
		return err
	}
	p, err := parse.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	out := describeMail(p)
	if *route {
		db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{SQLiteSync: cfg.SQLiteSync})
		if err != nil {
			return fmt.Errorf("database %s: %w", cfg.RedactedDatabaseURL(), err)
		}
		defer db.Close()
		if v, err := db.SchemaVersion(ctx); err != nil || v < 4 {
			return fmt.Errorf("database %s has no mail tables yet (schema version %d): run 'opsdesk migrate' first", cfg.RedactedDatabaseURL(), v)
		}
		db.TicketPrefix = cfg.TicketPrefix
		r, _, err := mail.NewIntakeFromConfig(cfg, db, nil).Route(ctx, mail.Inbound{Source: *source, Raw: raw, ReceivedAt: time.Now()})
		if err != nil {
			return err
		}
		out.Route = &mailRoute{Source: *source, Status: r.Status, Ticket: r.TicketKey, Customer: r.Customer, Contact: r.Contact,
			NewContact: r.NewContact, NoAutoreply: r.NoAutoreply, Duplicate: r.Duplicate, Reason: r.Reason}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// parseFileArgs reads flags placed before or after the one FILE argument.
func parseFileArgs(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", err
		}
		return "", usageError{err}
	}
	if fs.NArg() == 0 {
		return "", usagef("missing FILE.eml (or - for standard input)")
	}
	file := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", err
		}
		return "", usageError{err}
	}
	if fs.NArg() > 0 {
		return "", usagef("unexpected argument %q: one message at a time", fs.Arg(0))
	}
	return file, nil
}

func readMail(e env, file string) ([]byte, error) {
	if file == "-" {
		return io.ReadAll(e.stdin)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return raw, nil
}

func describeMail(p *parse.Message) *parsedMail {
	out := &parsedMail{From: p.From, FromName: p.FromName, To: p.To, Cc: p.Cc, ReplyTo: p.ReplyTo, Subject: p.Subject,
		MessageID: p.MessageID, InReplyTo: p.InReplyTo, References: p.References, Text: p.Text, TextNew: p.TextNew, HTML: p.HTML,
		Robot: p.Robot, RobotReason: p.RobotReason, Bounce: p.Bounce, BounceReason: p.BounceReason,
		FailedRecipients: p.FailedRecipients, OriginalMessageID: p.OriginalMessageID, Defects: p.Defects,
		Attachments: []mailAttachment{}}
	if !p.Date.IsZero() {
		out.Date = p.Date.Format(time.RFC3339)
	}
	for _, a := range p.Attachments {
		out.Attachments = append(out.Attachments, mailAttachment{Name: a.Name, Type: a.ContentType, SniffedType: a.SniffedType,
			Size: a.Size, Inline: a.Inline, ContentID: a.ContentID})
	}
	return out
}
