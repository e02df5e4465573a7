package parse

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ErrEmpty is returned by [Parse] for input that holds nothing but white space.
var ErrEmpty = errors.New("parse: empty message")

// Message is what the service desk needs from one inbound e-mail. Text fields are UTF-8.
type Message struct {
	From        string       `json:"from"`      // lower-case addr-spec of the first usable From mailbox
	FromName    string       `json:"from_name"` // its decoded display name
	To          []string     `json:"to"`        // lower-case addr-specs
	Cc          []string     `json:"cc"`        // lower-case addr-specs
	ReplyTo     string       `json:"reply_to,omitempty"`
	Subject     string       `json:"subject"`     // decoded and unfolded
	Date        time.Time    `json:"date"`        // zero when absent or unreadable (then a defect)
	MessageID   string       `json:"message_id"`  // without angle brackets
	InReplyTo   []string     `json:"in_reply_to"` // message ids without angle brackets
	References  []string     `json:"references"`  // message ids without angle brackets, oldest first
	Text        string       `json:"text"`        // text/plain body, else the HTML reduced to text (docs/mail.md)
	HTML        string       `json:"html"`        // sanitised HTML body, "" for plain-text mail
	TextNew     string       `json:"text_new"`    // Text without the quoted earlier conversation
	Attachments []Attachment `json:"attachments"` // every non-body leaf part, named or not

	Robot       bool   `json:"robot"`                  // sent by a program: do not auto-reply
	RobotReason string `json:"robot_reason,omitempty"` // the first rule that matched

	Bounce            bool     `json:"bounce"`                        // a delivery failure report
	BounceReason      string   `json:"bounce_reason,omitempty"`       // the rule that matched
	FailedRecipients  []string `json:"failed_recipients,omitempty"`   // from the DSN or X-Failed-Recipients
	OriginalMessageID string   `json:"original_message_id,omitempty"` // Message-ID of the bounced mail

	Defects []string `json:"defects"` // what was wrong with the message and how it was read
}

// Attachment is one leaf part that is not body text: a file, an inline image, an attached
// message, or a machine-readable report part. Parts without a file name are kept with an empty
// Name so that nothing is lost.
type Attachment struct {
	Name        string `json:"name"`         // decoded file name as carried by the part, or ""
	ContentType string `json:"content_type"` // declared media type, lower-case
	SniffedType string `json:"sniffed_type"` // media type detected from the content
	Size        int    `json:"size"`         // decoded size in bytes
	ContentID   string `json:"content_id,omitempty"`
	Inline      bool   `json:"inline"` // disposition inline, or a Content-ID inside multipart/related
	Data        []byte `json:"-"`      // decoded content
}

// state carries what one Parse call accumulates: defects and the East Asian charset family
// declared somewhere in the message, used to read undeclared 8-bit header text.
type state struct {
	hint    string
	defects []string
}

func (st *state) defect(format string, args ...any) {
	if len(st.defects) < 200 {
		st.defects = append(st.defects, fmt.Sprintf(format, args...))
	}
}

// Parse reads one raw RFC 5322 message (CRLF or LF line ends, optionally after an mbox "From "
// line). It never panics; a message that cannot be fully parsed still yields what could be
// read, with Defects listing what was wrong. It returns an error only when nothing usable could
// be read at all, i.e. for empty input ([ErrEmpty]).
func Parse(raw []byte) (msg *Message, err error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, ErrEmpty
	}
	st := &state{}
	msg = &Message{}
	defer func() {
		if r := recover(); r != nil {
			// A bug, not a property of the message: keep what was read and say so.
			st.defect("internal error while parsing: %v", r)
			msg.Defects = st.defects
			err = nil
		}
	}()
	h, body, envelopeFrom := st.readHeader(raw)
	root := st.readTree(h, body)
	st.hint = charsetHint(h, root)
	st.fillHeaders(msg, h, envelopeFrom)
	st.fillBody(msg, root)
	st.classify(msg, h, root)
	msg.Defects = st.defects
	if msg.Defects == nil {
		msg.Defects = []string{}
	}
	return msg, nil
}

// fillHeaders sets the address, subject, date and threading fields.
func (st *state) fillHeaders(msg *Message, h header, envelopeFrom string) {
	for _, v := range h.all("From") {
		for _, m := range st.parseAddressList("From", v) {
			if usable(m.addr) {
				msg.From, msg.FromName = m.addr, m.name
				break
			}
		}
		if msg.From != "" {
			break
		}
	}
	if msg.From == "" {
		for _, alt := range []string{"Sender", "Reply-To"} {
			for _, m := range st.parseAddressList(alt, h.get(alt)) {
				if usable(m.addr) && msg.From == "" {
					msg.From, msg.FromName = m.addr, m.name
					st.defect("From: no usable mailbox; using %s", alt)
				}
			}
		}
	}
	if msg.From == "" && usable(strings.ToLower(envelopeFrom)) {
		msg.From = strings.ToLower(envelopeFrom)
		st.defect("From: no usable mailbox; using the mbox envelope sender")
	}
	if msg.From == "" {
		st.defect("From: no usable mailbox")
	}
	msg.To = st.addrs("To", h)
	msg.Cc = st.addrs("Cc", h)
	for _, m := range st.parseAddressList("Reply-To", h.get("Reply-To")) {
		if usable(m.addr) {
			msg.ReplyTo = m.addr
			break
		}
	}
	if subj := h.all("Subject"); len(subj) > 0 {
		msg.Subject = strings.TrimSpace(st.decodeHeaderText("Subject", subj[0]))
		if len(subj) > 1 {
			st.defect("Subject: %d Subject fields; the first is used", len(subj))
		}
	}
	if d := h.get("Date"); d == "" {
		st.defect("Date: missing")
	} else if t, ok := parseDate(d); ok {
		msg.Date = t
	} else {
		st.defect("Date: cannot parse %s", quote(d))
	}
	if ids := messageIDs(h.get("Message-ID")); len(ids) > 0 {
		msg.MessageID = ids[0]
	}
	msg.InReplyTo = messageIDs(h.get("In-Reply-To"))
	msg.References = messageIDs(strings.Join(h.all("References"), " "))
}

func (st *state) addrs(name string, h header) []string {
	out := []string{}
	for _, v := range h.all(name) {
		for _, m := range st.parseAddressList(name, v) {
			if usable(m.addr) {
				out = append(out, m.addr)
			}
		}
	}
	return out
}

var angleID = regexp.MustCompile(`<([^<>\s]*)>`)

// messageIDs extracts message ids ("<id>") from a header; without angle brackets it falls back
// to blank-separated words.
func messageIDs(v string) []string {
	v = strings.TrimSpace(v)
	out := []string{}
	if v == "" {
		return out
	}
	for _, m := range angleID.FindAllStringSubmatch(v, -1) {
		if m[1] != "" {
			out = append(out, strings.ToValidUTF8(m[1], "\uFFFD"))
		}
	}
	if len(out) == 0 {
		for _, w := range strings.Fields(stripComments(v)) {
			if w = strings.Trim(w, "<>,;\""); w != "" {
				out = append(out, strings.ToValidUTF8(w, "\uFFFD"))
			}
		}
	}
	return out
}
