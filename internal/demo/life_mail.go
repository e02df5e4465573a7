package demo

import (
	"slices"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// qualify is an agent's first reading of a request the intake filed from a mail, with the
// intake's default category and severity: minutes later, an agent of its level sets the category,
// severity, type and environment the mail calls for, and hands it to the level its category is
// handled at when that is higher. False when the history ends first: the mail waits unread.
func (l *life) qualify() (bool, error) {
	g, db := l.g, l.g.db
	if !l.after(l.minutes(2, 12)) {
		return false, nil
	}
	agent := pick(g, g.agents[l.tk.Level])
	tk, err := db.UpdateTicket(g.as(agent), l.tk.Key, l.mail.want)
	if err != nil {
		return false, err
	}
	l.tk = tk
	for _, c := range opsdesk.DefaultCategories {
		if c.Code == tk.Category && slices.Index(opsdesk.Levels, c.Level) > slices.Index(opsdesk.Levels, tk.Level) {
			if l.tk, err = db.Escalate(g.as(agent), tk.Key, c.Level, mailRouted.in(l.c.lang)+string(c.Level)); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// say is the customer's public answer: a mail replying to their request when it came by mail
// (the intake threads it onto the ticket), a message in the portal otherwise.
func (l *life) say(words string) error {
	if l.mail != nil {
		return l.g.mailReply(l.mail, words)
	}
	_, err := l.g.db.AddMessage(l.g.as(l.requester), l.tk.Key, words, false, nil)
	return err
}

// reopen is the customer telling a resolved request is not over: by a mail replying to it when it
// came by mail (the intake reopens the ticket), with the portal's reopen button otherwise.
func (l *life) reopen(why string) error {
	if l.mail != nil {
		return l.g.mailReply(l.mail, why)
	}
	st := opsdesk.StatusOpen
	_, err := l.g.db.UpdateTicket(l.g.as(l.requester), l.tk.Key, opsdesk.TicketPatch{Status: &st, Reason: why})
	return err
}
