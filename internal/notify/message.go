package notify

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
)

// compose writes an outbox mail as an RFC 5322 message: the headers that make replies thread
// back (Message-ID, In-Reply-To, References, the ticket tag in the subject), the loop guards
// (Auto-Submitted), the language, and a multipart/alternative body with the text and the HTML
// versions, both UTF-8 in quoted-printable. Non-ASCII subjects and names are RFC 2047 encoded.
func (n *Notifier) compose(m *store.OutboxMail, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("Date", date.Format(time.RFC1123Z))
	header("From", n.from.String())
	header("To", (&mail.Address{Name: m.ToName, Address: m.To}).String())
	if len(m.Cc) > 0 {
		cc := make([]string, len(m.Cc))
		for i, a := range m.Cc {
			cc[i] = (&mail.Address{Address: a}).String()
		}
		header("Cc", strings.Join(cc, ",\r\n "))
	}
	header("Reply-To", n.from.String())
	header("Subject", encodeHeader(m.Subject))
	header("Message-ID", "<"+m.MailMessageID+">")
	if m.InReplyTo != "" {
		header("In-Reply-To", "<"+m.InReplyTo+">")
	}
	if len(m.References) > 0 {
		header("References", "<"+strings.Join(m.References, ">\r\n <")+">")
	}
	if m.AutoSubmitted != "" {
		header("Auto-Submitted", m.AutoSubmitted)
	}
	header("Content-Language", string(m.Lang))
	if m.TicketKey != "" { // the environments' mails belong to no ticket
		header("X-Opsdesk-Ticket", m.TicketKey)
	}
	header("MIME-Version", "1.0")

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, p := range []struct{ ctype, content string }{
		{"text/plain; charset=utf-8", m.Text},
		{"text/html; charset=utf-8", m.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(p.content)); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// encodeHeader returns s as is when it is printable ASCII, else as RFC 2047 Q-encoded words of
// at most 75 characters, one per folded line.
func encodeHeader(s string) string {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.ReplaceAll(mime.QEncoding.Encode("utf-8", s), "?= =?", "?=\r\n =?")
}
