package web

import (
	"cmp"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// entry is one line of a ticket's timeline: a message (public reply or internal note, with its
// attachments) or an event of its history, with its values ready to show.
type entry struct {
	ID       int64 // the event's id: entries are in the order things happened
	At       time.Time
	Who      string
	Message  *opsdesk.Message // nil for an event
	Kind     string           // the event's kind (created, change, escalation, …)
	Field    string           // the changed field, named in the page's language
	Old, New string
	Reason   string
	Mail     *mailPart // a message that came by mail, in the workspace: its folded quote and raw form
	Text     string    // the whole line as a sentence (the SLA lines), instead of field, old → new
	Link     string    // what the sentence refers to on the page (a recorded workaround's message)
	LinkText string    // the words of Link, when not "see the message" (a knowledge article's title)
}

// mailPart is what the workspace shows beside the words of a message that came by mail: the
// whole text with the quoted conversation (folded away) and the link to the raw message.
type mailPart struct {
	Quoted string // the full text, when it holds more than the new words
	Raw    string // the .eml download, "" when the message has no inbound record
}

// timeline merges a ticket's conversation and history in the order they happened. The store
// scopes both: a customer reads neither internal notes nor their attachments. The portal shows
// the conversation and the status changes only; the workspace shows everything.
func (s *Server) timeline(c *call, key string, k *catalog, portal bool) ([]entry, error) {
	msgs, err := s.db.Messages(c.ctx, key)
	if err != nil {
		return nil, err
	}
	events, err := s.db.History(c.ctx, key)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*opsdesk.Message, len(msgs))
	for _, m := range msgs {
		byID[m.ID] = m
	}
	var out []entry
	titles := kbTitles{}
	var causes map[string]string // cause code → label, read at the first cause line
	for _, e := range events {
		en := entry{ID: e.ID, At: e.At, Who: e.ActorLabel, Kind: e.Kind, Reason: e.Reason}
		switch e.Kind {
		case opsdesk.EventMessage, opsdesk.EventNote:
			m := byID[e.MessageID]
			if m == nil {
				continue
			}
			delete(byID, e.MessageID)
			en.Message, en.Who = m, m.AuthorLabel
			if !portal && m.Channel == opsdesk.ChannelMail {
				if en.Mail, err = s.mailPart(c, key, m); err != nil {
					return nil, err
				}
			}
		case opsdesk.EventCreated:
			en.New = c.T("channel." + e.New)
			if portal {
				en.Reason = ""
			}
		default:
			if portal && e.Field != "status" {
				continue
			}
			if !portal && slaEntry(c, k, e, &en) {
				break
			}
			if !portal && s.kbEntry(c, e, &en, titles) {
				break
			}
			en.Field = c.T("ticket.field." + e.Field)
			en.Old, en.New = eventValue(c, k, e.Field, e.Old), eventValue(c, k, e.Field, e.New)
			if e.Field == "cause" { // staff only: the portal shows status lines alone
				if causes == nil {
					if causes, err = s.causeLabels(c); err != nil {
						return nil, err
					}
				}
				en.Old, en.New = cmp.Or(causes[e.Old], en.Old), cmp.Or(causes[e.New], en.New)
			}
			if portal {
				en.Reason, en.Who = "", ""
			}
		}
		out = append(out, en)
	}
	// A message without its history line (none today) still shows, at its time.
	for _, m := range msgs {
		if byID[m.ID] != nil {
			out = append(out, entry{At: m.CreatedAt, Who: m.AuthorLabel, Message: m})
		}
	}
	return out, nil
}

// mailPart reads the mail columns of a message that came by mail (one query, only for those).
func (s *Server) mailPart(c *call, key string, m *opsdesk.Message) (*mailPart, error) {
	parts, err := s.db.MessageMailParts(c.ctx, key, m.ID)
	if err != nil {
		return nil, err
	}
	p := &mailPart{}
	if full := strings.TrimSpace(parts.FullBody); full != "" && full != strings.TrimSpace(m.Body) {
		p.Quoted = parts.FullBody
	}
	if parts.InboundID != 0 {
		p.Raw = ticketURL(key) + "/messages/" + strconv.FormatInt(m.ID, 10) + "/raw.eml"
	}
	return p, nil
}

// eventValue shows a field's value of a history line in the page's language.
func eventValue(c *call, k *catalog, field, v string) string {
	if v == "" {
		return "—"
	}
	switch field {
	case "status":
		return c.T("status." + v)
	case "type":
		return c.T("type." + v)
	case "severity":
		return k.Severity(v)
	case "category":
		return k.Category(v)
	}
	return v
}
