package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// outMail is a message a customer's mail client sends to the support address, as the MTA hands
// it to the intake.
type outMail struct {
	from, to   mail.Address
	subject    string
	date       time.Time // in the sender's zone
	messageID  string    // without angle brackets
	inReplyTo  string    // the Message-ID answered; "" for a new request
	references []string
	text       string    // the body, lines ending in "\n"
	file       *mailFile // joined to the message, or nil
}

// mailFile is a small file a customer joins to a mail (a log excerpt, a list).
type mailFile struct {
	name, contentType, content string
}

// bytes renders the message as RFC 5322 with MIME: CRLF line ends, encoded words for the
// non-ASCII headers, the text as text/plain UTF-8 in quoted-printable, a file in base64 beside it
// in multipart/mixed. Writes to a bytes.Buffer cannot fail.
func (m *outMail) bytes() []byte {
	var b bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", m.from.String())
	header("To", m.to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.subject))
	header("Date", m.date.Format(time.RFC1123Z))
	header("Message-ID", "<"+m.messageID+">")
	if m.inReplyTo != "" {
		header("In-Reply-To", "<"+m.inReplyTo+">")
	}
	if len(m.references) > 0 {
		header("References", "<"+strings.Join(m.references, "> <")+">")
	}
	header("MIME-Version", "1.0")
	textType := mime.FormatMediaType("text/plain", map[string]string{"charset": "utf-8"})
	if m.file == nil {
		header("Content-Type", textType)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQuotedPrintable(&b, m.text)
		return b.Bytes()
	}
	w := multipart.NewWriter(&b)
	sum := sha256.Sum256([]byte(m.messageID))
	w.SetBoundary("=_demo_" + hex.EncodeToString(sum[:12])) // the same message gives the same bytes
	header("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": w.Boundary()}))
	b.WriteString("\r\n")
	part, _ := w.CreatePart(textproto.MIMEHeader{"Content-Type": {textType}, "Content-Transfer-Encoding": {"quoted-printable"}})
	writeQuotedPrintable(part, m.text)
	part, _ = w.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(m.file.contentType, map[string]string{"charset": "utf-8", "name": m.file.name})},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": m.file.name})},
		"Content-Transfer-Encoding": {"base64"}})
	enc := base64.StdEncoding.EncodeToString([]byte(m.file.content))
	for len(enc) > 76 {
		io.WriteString(part, enc[:76]+"\r\n")
		enc = enc[76:]
	}
	io.WriteString(part, enc+"\r\n")
	w.Close()
	return b.Bytes()
}

// writeQuotedPrintable writes text in quoted-printable, its "\n" line ends as CRLF.
func writeQuotedPrintable(w io.Writer, text string) {
	qp := quotedprintable.NewWriter(w)
	io.WriteString(qp, text)
	qp.Close()
}

// mailThread is a request that came by mail, as its sender's mail client remembers it: later
// mails of the customer answer it.
type mailThread struct {
	key   string // the ticket the intake filed it as
	first *outMail
	lang  opsdesk.Lang
	want  opsdesk.TicketPatch // what the request's words call for: the first agent's qualification
}

// reply is the customer's answer to the thread: "Re: [KEY] subject", In-Reply-To and References
// naming the first mail, the new words above the quoted first mail.
func (th *mailThread) reply(at time.Time, messageID, words string) *outMail {
	f := th.first
	re, sign := "Re: ", f.from.Name
	if th.lang == opsdesk.LangFR {
		re = "RE : "
	}
	quoted := "> " + strings.ReplaceAll(strings.TrimRight(f.text, "\n"), "\n", "\n> ")
	quoted = strings.ReplaceAll(quoted, "\n> \n", "\n>\n")
	text := words + "\n\n" + sign + "\n\n" + attribution(th.lang, f) + "\n" + quoted + "\n"
	return &outMail{from: f.from, to: f.to, subject: re + "[" + th.key + "] " + f.subject, date: at.In(f.date.Location()),
		messageID: messageID, inReplyTo: f.messageID, references: []string{f.messageID}, text: text}
}

var frMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
	"novembre", "décembre"}

// attribution is the line a mail client puts above the quoted message: "On …, X <x@…> wrote:" or
// "Le …, X <x@…> a écrit :".
func attribution(lang opsdesk.Lang, m *outMail) string {
	who, d := m.from.Name+" <"+m.from.Address+">", m.date
	if lang == opsdesk.LangFR {
		return fmt.Sprintf("Le %d %s %d à %s, %s a écrit :", d.Day(), frMonths[d.Month()-1], d.Year(), d.Format("15:04"), who)
	}
	return fmt.Sprintf("On %s at %s, %s wrote:", d.Format("Mon, 2 Jan 2006"), d.Format("15:04"), who)
}

// mailAddress is a mailbox with its display name.
func mailAddress(name, addr string) mail.Address { return mail.Address{Name: name, Address: addr} }
