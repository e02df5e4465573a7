package demo

import (
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// life plays a ticket's history on the walking clock: taken, answered, sometimes paused for the
// customer, escalated or re-severitied, resolved, rated, reopened, closed. A step that would
// fall after the end of the history is not played: the ticket stays where it is.
type life struct {
	g         *gen
	c         *customer
	s         scenario
	tk        *opsdesk.Ticket
	t         time.Time
	requester *opsdesk.User
	agent     *opsdesk.User
	mail      *mailThread // the customer's first mail, when the request came by mail
}

// after moves the clock d later; false when that is past the end of the history.
func (l *life) after(d time.Duration) bool {
	l.t = l.t.Add(d)
	if l.t.After(l.g.end) {
		return false
	}
	l.g.at(l.t)
	return true
}

func (l *life) minutes(lo, hi int) time.Duration {
	return time.Duration(lo+l.g.rnd.IntN(hi-lo+1)) * time.Minute
}

// resolveAfter is how long work takes before the resolution, by severity.
var resolveAfter = map[string][2]int{
	"blocking": {60, 600}, "major": {240, 2 * 1440}, "minor": {600, 7 * 1440},
	"question": {60, 2 * 1440}, "evolution": {10 * 1440, 40 * 1440},
}

func (l *life) play() error {
	g, db, lang := l.g, l.g.db, l.c.lang
	if l.mail != nil {
		if ok, err := l.qualify(); !ok || err != nil {
			return err
		}
	}
	// Taken: blocking ones usually within the half hour, sometimes not (a breach); major ones
	// within the hour and a half; the others within four hours.
	take := l.minutes(10, 240)
	switch l.tk.Severity {
	case "blocking":
		take = l.minutes(5, 25)
		if g.rnd.IntN(4) == 0 {
			take = l.minutes(75, 180)
		}
	case "major":
		take = l.minutes(10, 90)
	}
	if l.g.end.Sub(l.t) < 3*24*time.Hour && g.rnd.IntN(3) == 0 {
		return nil // recent, not taken yet: the queue's new requests
	}
	if !l.after(take) {
		return nil
	}
	l.agent = pick(g, g.agents[l.tk.Level])
	if _, err := db.Take(g.as(l.agent), l.tk.Key); err != nil {
		return err
	}
	if _, err := db.AddMessage(g.as(l.agent), l.tk.Key, pick(g, agentReplies).in(lang), false, nil); err != nil {
		return err
	}
	if g.rnd.IntN(3) == 0 {
		if !l.after(l.minutes(10, 120)) {
			return nil
		}
		if _, err := db.AddMessage(g.as(l.agent), l.tk.Key, pick(g, internalNotes).in(lang), true, nil); err != nil {
			return err
		}
	}
	if l.tk.Severity == "blocking" || l.tk.Severity == "major" {
		if ok, err := l.workaround(); !ok || err != nil {
			return err
		}
	}
	if g.rnd.IntN(12) == 0 && l.tk.Severity == "major" {
		sev := "minor"
		if _, err := db.UpdateTicket(g.as(l.agent), l.tk.Key, opsdesk.TicketPatch{Severity: &sev,
			Reason: text{"Contournement en place, impact réduit", "Workaround in place, lower impact"}.in(lang)}); err != nil {
			return err
		}
	}
	if g.rnd.IntN(4) == 0 || (g.end.Sub(l.t) < 10*24*time.Hour && g.rnd.IntN(2) == 0) {
		if ok, err := l.waitCustomer(); !ok || err != nil {
			return err
		}
	}
	if g.rnd.IntN(5) == 0 {
		if ok, err := l.escalate(); !ok || err != nil {
			return err
		}
	}
	span := resolveAfter[l.tk.Severity]
	if !l.after(l.minutes(span[0], span[1])) {
		return nil
	}
	if err := l.resolve(); err != nil {
		return err
	}
	if g.rnd.IntN(16) == 0 { // reopened by the customer, resolved again
		if !l.after(l.minutes(60, 1440)) {
			return nil
		}
		if err := l.reopen(text{"Le problème est réapparu ce matin", "The issue came back this morning"}.in(lang)); err != nil {
			return err
		}
		if !l.after(l.minutes(120, 2880)) {
			return nil
		}
		if err := l.resolve(); err != nil {
			return err
		}
	}
	if g.rnd.IntN(2) == 0 {
		if ok, err := l.rate(); !ok || err != nil {
			return err
		}
	}
	if g.rnd.IntN(3) > 0 && l.after(7*24*time.Hour) {
		tk, err := db.TicketByKey(g.as(l.agent), l.tk.Key)
		if err != nil || tk.Status != opsdesk.StatusResolved {
			return err // an answer "not solved" reopened it, or the survey closed it
		}
		st := opsdesk.StatusClosed
		if _, err := db.UpdateTicket(g.as(l.agent), l.tk.Key, opsdesk.TicketPatch{Status: &st}); err != nil {
			return err
		}
	}
	return nil
}
