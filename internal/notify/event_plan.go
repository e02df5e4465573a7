package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// created plans the acknowledgement and the agents' new-ticket mails.
func (e *eventMails) created(ctx context.Context) error {
	msgs, err := e.n.db.Messages(ctx, e.t.Key)
	if err != nil {
		return err
	}
	e.withHandling = true
	d := Data{}
	if len(msgs) > 0 {
		d.Body = msgs[0].Body
	}
	cause := fmt.Sprint("ticket:", e.t.ID)
	robot, err := e.n.db.FirstMessageNoAutoreply(ctx, e.t.ID)
	if err != nil {
		return err
	}
	if !robot {
		r, err := e.requesterOf(ctx)
		if err != nil {
			return err
		}
		// The acknowledgement goes to the requester even when they filed the request themselves:
		// it is the receipt with the number.
		if err := e.add(ctx, KindAck, cause, r, 0, "", d); err != nil {
			return err
		}
	}
	return e.agents(ctx, e.t.Level, cause, e.t.CreatedByID, e.ev.Actor, d)
}

// message plans the mail of an agent's public reply.
func (e *eventMails) message(ctx context.Context) error {
	if e.ev.Internal || e.ev.MessageID == 0 {
		return nil
	}
	msgs, err := e.n.db.Messages(ctx, e.t.Key)
	if err != nil {
		return err
	}
	var m *opsdesk.Message
	for _, x := range msgs {
		if x.ID == e.ev.MessageID {
			m = x
		}
	}
	if m == nil || m.Internal || m.AuthorContactID != 0 {
		return nil // gone, an internal note, or the customer's own words
	}
	if m.AuthorUserID != 0 {
		u, err := e.n.db.UserByID(ctx, m.AuthorUserID)
		if err != nil {
			return err
		}
		if !u.Role.Staff() {
			return nil
		}
	}
	author := e.name(ctx, m.AuthorUserID, m.AuthorLabel)
	r, err := e.requesterOf(ctx)
	if err != nil {
		return err
	}
	before := len(e.out)
	if err := e.add(ctx, KindReply, fmt.Sprint("message:", m.ID), r, m.AuthorUserID, m.AuthorLabel, Data{Body: m.Body, Author: author}); err != nil {
		return err
	}
	if len(e.out) > before {
		e.out[before].messageID = m.ID
	}
	return nil
}

// changes plans the mails of the changes recorded in the ticket's history with the event (the
// lines written at the event's instant, in the change's transaction).
func (e *eventMails) changes(ctx context.Context) error {
	if e.ev.At.IsZero() {
		return nil
	}
	hist, err := e.n.db.History(ctx, e.t.Key)
	if err != nil {
		return err
	}
	at := e.ev.At.UnixMilli()
	for _, h := range hist {
		if h.At.UnixMilli() != at {
			continue
		}
		cause := fmt.Sprint("event:", h.ID)
		d := Data{Reason: h.Reason}
		switch {
		case h.Kind == opsdesk.EventChange && h.Field == "status" &&
			(h.New == string(opsdesk.StatusWaitingCustomer) || h.New == string(opsdesk.StatusResolved)):
			kind := KindWaiting
			if h.New == string(opsdesk.StatusResolved) {
				kind = KindResolved
			}
			r, err := e.requesterOf(ctx)
			if err != nil {
				return err
			}
			d.Author = e.name(ctx, h.ActorID, h.ActorLabel)
			if kind == KindResolved {
				if err := e.survey(ctx, &d); err != nil {
					return err
				}
			}
			err = e.add(ctx, kind, cause, r, h.ActorID, h.ActorLabel, d)
			if err != nil {
				return err
			}
		case h.Kind == opsdesk.EventChange && h.Field == "assignee" && h.New != "":
			u, err := e.n.db.UserByEmail(ctx, h.New)
			if opsdesk.IsKind(err, opsdesk.KindNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if u.Disabled {
				continue
			}
			d.Author = e.name(ctx, h.ActorID, h.ActorLabel)
			if err := e.add(ctx, KindAgentAssigned, cause, staffRecipient(u), h.ActorID, h.ActorLabel, d); err != nil {
				return err
			}
		case h.Kind == opsdesk.EventEscalation:
			level, ok := opsdesk.ParseLevel(h.New)
			if !ok {
				continue
			}
			d.Escalated, d.Author = true, e.name(ctx, h.ActorID, h.ActorLabel)
			if err := e.agents(ctx, level, cause, h.ActorID, h.ActorLabel, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// agents plans agent_new mails to the active agents of a level.
func (e *eventMails) agents(ctx context.Context, level opsdesk.Level, cause string, actorID int64, actorLabel string, d Data) error {
	us, err := e.n.db.ListUsers(ctx, store.UserFilter{Role: opsdesk.RoleAgent, Level: level})
	if err != nil {
		return err
	}
	for _, u := range us {
		if u.Disabled {
			continue
		}
		if err := e.add(ctx, KindAgentNew, cause, staffRecipient(u), actorID, actorLabel, d); err != nil {
			return err
		}
	}
	return nil
}

func staffRecipient(u *opsdesk.User) recipient {
	return recipient{Email: u.Email, Name: firstOf(u.Name, u.Email), Lang: u.Lang, UserID: u.ID}
}

// requesterOf returns the ticket's requester, in their language: the contact's, else their
// organisation's, else the default.
func (e *eventMails) requesterOf(ctx context.Context) (recipient, error) {
	if e.requester != nil {
		return *e.requester, nil
	}
	r := recipient{Email: e.t.RequesterMail, Name: e.t.RequesterName}
	c, err := e.n.db.ContactByEmail(ctx, e.t.RequesterMail)
	switch {
	case err == nil:
		r.Lang, r.Name = c.Lang, firstOf(c.Name, e.t.RequesterName)
	case !opsdesk.IsKind(err, opsdesk.KindNotFound):
		return r, err
	}
	if !r.Lang.Valid() {
		cust, err := e.n.db.CustomerByID(ctx, e.t.CustomerID)
		if err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return r, err
		}
		if err == nil {
			r.Lang = cust.Lang
		}
	}
	if u, err := e.n.db.UserByEmail(ctx, r.Email); err == nil {
		r.UserID = u.ID // a customer with a login: never told of their own change
	}
	e.requester = &r
	return r, nil
}

// name is how a person who made a change is shown: their name, else their address; "" for
// opsdesk itself (a command, the scheduler), which templates leave unnamed.
func (e *eventMails) name(ctx context.Context, userID int64, label string) string {
	if userID != 0 {
		if u, err := e.n.db.UserByID(ctx, userID); err == nil {
			return firstOf(u.Name, u.Email)
		}
	}
	if !strings.Contains(label, "@") {
		return ""
	}
	return label
}

// handlingTime asks the service-level hook for the committed time to take the ticket in charge,
// in lang.
func (e *eventMails) handlingTime(ctx context.Context, lang opsdesk.Lang) (string, error) {
	if e.n.opt.HandlingTime != nil {
		s, _ := e.n.opt.HandlingTime(ctx, e.t, lang)
		return s, nil
	}
	if e.takeCharge == nil {
		h, err := e.n.takeCharge(ctx, e.t)
		if err != nil {
			return "", err
		}
		e.takeCharge = &h
	}
	return e.takeCharge.format(lang), nil
}

// survey fills the resolution summary and the two survey links of a resolved mail. The links
// open the survey page with the answer chosen; the page records nothing until the requester
// posts it (mail scanners follow links). No links when the survey no longer waits (the ticket
// moved on before the mail was planned).
func (e *eventMails) survey(ctx context.Context, d *Data) error {
	d.Summary = e.t.ResolutionSummary
	token, err := e.n.db.IssueSurveyLink(ctx, e.t.ID)
	if err != nil || token == "" {
		return err
	}
	base := strings.TrimSuffix(e.n.opt.BaseURL, "/") + "/survey/" + token
	d.SurveyYes, d.SurveyNo = base+"?solved=yes", base+"?solved=no"
	return nil
}
