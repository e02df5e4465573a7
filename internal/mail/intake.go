package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/mail/parse"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Intake is the Deliverer of every channel: it keeps the raw message and its attachments in the
// blob store, parses the message, and has the store record it and apply its meaning in one
// transaction (store.DB.DeliverMail: who sent it, which ticket it answers, what it changes).
// It holds no mutable state and is safe for concurrent use.
type Intake struct {
	DB     *store.DB
	Blobs  *blob.Store
	Policy store.MailPolicy // reopen window, rate limit, default category and severity
	// Own lists our own addresses ("support@vendor.example") and domains ("@support.vendor.example"):
	// mail from them is never answered automatically and never opens a ticket.
	Own []string
	Now func() time.Time
}

var _ Deliverer = (*Intake)(nil)

// DefaultPolicy is the intake policy when the configuration says nothing else.
var DefaultPolicy = store.MailPolicy{ReopenWindow: 14 * 24 * time.Hour, RateLimit: 20, RateWindow: 10 * time.Minute,
	Category: "other", Severity: "minor"}

// Deliver stores the raw message first, then records it and applies its meaning in one
// transaction. A nil error means the message is durably recorded: the channel may acknowledge
// it. An error is temporary (database or disk): the channel must not acknowledge, and delivering
// the same message again is safe. A message whose meaning cannot be applied for a lasting reason
// is kept in the triage queue with that reason rather than refused.
func (in *Intake) Deliver(ctx context.Context, msg Inbound) (Result, error) {
	ctx = opsdesk.WithActor(ctx, opsdesk.System("mail"))
	d, _, err := in.prepare(msg, false)
	if err != nil {
		return Result{}, err
	}
	out, err := in.DB.DeliverMail(ctx, d)
	if k := opsdesk.ErrorKind(err); k == opsdesk.KindInvalid || k == opsdesk.KindConflict {
		d.KeepReason = "the message could not be applied: " + opsdesk.ErrorMessage(err)
		out, err = in.DB.DeliverMail(ctx, d)
	}
	if err != nil {
		return Result{}, fmt.Errorf("mail intake from %s: %w", msg.Source, err)
	}
	return resultOf(out), nil
}

// Route tells where Deliver would put a message and why, changing nothing: it writes no blob
// and its transaction is rolled back. `opsdesk mail parse --route` shows it to admins.
func (in *Intake) Route(ctx context.Context, msg Inbound) (Result, *parse.Message, error) {
	ctx = opsdesk.WithActor(ctx, opsdesk.System("mail"))
	d, parsed, err := in.prepare(msg, true)
	if err != nil {
		return Result{}, nil, err
	}
	out, err := in.DB.DeliverMail(ctx, d)
	if err != nil {
		return Result{}, parsed, err
	}
	return resultOf(out), parsed, nil
}

func resultOf(o *store.MailOutcome) Result {
	return Result{Status: o.Status, TicketKey: o.TicketKey, Duplicate: o.Duplicate, Reason: o.Reason, InboundID: o.InboundID,
		MessageID: o.MessageID, Customer: o.CustomerCode, Contact: o.ContactEmail, NewContact: o.NewContact, NoAutoreply: o.NoAutoreply}
}

// prepare parses the message and stores its raw form and attachments (for a dry run, only
// computes their digests), giving what the store needs to deliver it.
func (in *Intake) prepare(msg Inbound, dry bool) (*store.MailDelivery, *parse.Message, error) {
	if msg.Source == "" {
		return nil, nil, errors.New("mail intake: the inbound message names no source")
	}
	if msg.ReceivedAt.IsZero() {
		msg.ReceivedAt = in.now()
	}
	put := func(data []byte, name string) (blob.Stored, error) {
		if dry {
			sum := sha256.Sum256(data)
			return blob.Stored{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}, nil
		}
		return in.Blobs.Put(bytes.NewReader(data), 0, name)
	}
	raw, err := put(msg.Raw, "message.eml")
	if err != nil {
		return nil, nil, fmt.Errorf("mail intake: keep the raw message: %w", err)
	}
	p, err := parse.Parse(msg.Raw)
	if err != nil {
		p = &parse.Message{Defects: []string{"the message could not be read: " + err.Error()}}
	}
	d := &store.MailDelivery{Source: msg.Source, MessageID: p.MessageID, RawSHA256: raw.SHA256, RawSize: raw.Size,
		ReceivedAt: msg.ReceivedAt, EnvelopeTo: msg.EnvelopeTo, From: p.From, FromName: p.FromName, Subject: p.Subject,
		Text: p.Text, TextNew: p.TextNew, HTML: p.HTML, InReplyTo: p.InReplyTo, References: p.References,
		Defects: p.Defects, Robot: p.Robot, RobotReason: p.RobotReason, Bounce: p.Bounce, BounceReason: p.BounceReason,
		OriginalMessageID: p.OriginalMessageID, FailedRecipients: p.FailedRecipients, OwnAddress: in.own(p.From),
		Policy: in.Policy, DryRun: dry}
	for i, a := range p.Attachments {
		if a.Size == 0 {
			continue
		}
		name := attachmentName(a, i+1)
		st, err := put(a.Data, name)
		if err != nil {
			return nil, nil, fmt.Errorf("mail intake: keep attachment %q: %w", name, err)
		}
		ctype := st.ContentType
		if dry || ctype == "" {
			ctype = a.SniffedType
		}
		d.Attachments = append(d.Attachments, store.MailAttachment{NewAttachment: opsdesk.NewAttachment{Name: name,
			ContentType: ctype, Size: st.Size, SHA256: st.SHA256}, ContentID: a.ContentID, Inline: a.Inline})
	}
	return d, p, nil
}

func (in *Intake) now() time.Time {
	if in.Now != nil {
		return in.Now()
	}
	return time.Now()
}

// own tells whether addr is one of our own addresses.
func (in *Intake) own(addr string) bool {
	return matchAddress(in.Own, addr)
}

// matchAddress tells whether addr is in list: an entry is an address, or "@domain" for every
// address of that domain. Comparison ignores case.
func matchAddress(list []string, addr string) bool {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if addr == "" {
		return false
	}
	_, domain, _ := strings.Cut(addr, "@")
	for _, e := range list {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == addr || (strings.HasPrefix(e, "@") && e[1:] == domain) {
			return true
		}
	}
	return false
}

// attachmentName is a part's file name, or one made from its position and type for parts
// without a name (an attached message, a delivery report, an unnamed image).
func attachmentName(a parse.Attachment, n int) string {
	if name := strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, a.Name)); name != "" {
		return clipName(name)
	}
	ct := a.ContentType
	switch {
	case ct == "message/rfc822" || ct == "message/global":
		return fmt.Sprintf("message-%d.eml", n)
	case strings.HasPrefix(ct, "text/plain"), strings.HasPrefix(ct, "message/"):
		return fmt.Sprintf("part-%d.txt", n)
	}
	ext, ok := commonExt[ct]
	if !ok {
		ext = ".bin"
		if exts, _ := mime.ExtensionsByType(ct); len(exts) > 0 {
			ext = exts[len(exts)-1]
		}
	}
	base := "part"
	if strings.HasPrefix(ct, "image/") {
		base = "image"
	}
	return fmt.Sprintf("%s-%d%s", base, n, ext)
}

var commonExt = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp",
	"application/pdf": ".pdf", "text/html": ".html", "text/calendar": ".ics", "application/zip": ".zip"}

func clipName(s string) string {
	r := []rune(s)
	if len(r) > 200 {
		return string(r[:200])
	}
	return s
}
