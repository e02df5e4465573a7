package demo

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// ticket is a generated ticket, kept for the problem and the actions made later.
type ticket struct {
	key      string
	id       int64
	cust     *customer
	scenario int
	severity string
	created  time.Time
}

// tickets files opsdesk.Options.Tickets requests spread over the 90 days and walks each one
// through its life, stopping at the end of the history: the last ones are still open.
func (g *gen) tickets() error {
	total := 0
	for _, c := range g.custs {
		total += c.weight
	}
	n := g.opt.Tickets
	for i := range n {
		c := g.weighted(total)
		at := g.office(c, g.end.Add(-Period+time.Duration(i)*Period/time.Duration(n)+time.Duration(g.rnd.IntN(180))*time.Minute))
		if at.After(g.end) {
			continue
		}
		tk, err := g.ticket(c, at)
		if err != nil {
			return err
		}
		g.tks = append(g.tks, tk)
	}
	return nil
}

// weighted draws a customer in proportion to its weight; total is the sum of the weights.
func (g *gen) weighted(total int) *customer {
	w := g.rnd.IntN(total)
	for _, c := range g.custs {
		if w < c.weight {
			return c
		}
		w -= c.weight
	}
	return g.custs[len(g.custs)-1]
}

// office moves t into the customer's business hours (09:00–18:00 local on weekdays) unless it
// is on the 24/7 calendar.
func (g *gen) office(c *customer, t time.Time) time.Time {
	if c.alwaysOn {
		return t
	}
	l := t.In(c.zone)
	for l.Weekday() == time.Saturday || l.Weekday() == time.Sunday || l.Hour() >= 17 {
		l = time.Date(l.Year(), l.Month(), l.Day()+1, 9, g.rnd.IntN(60), 0, 0, c.zone)
	}
	if l.Hour() < 9 {
		l = time.Date(l.Year(), l.Month(), l.Day(), 9, g.rnd.IntN(60), 0, 0, c.zone)
	}
	return l.UTC()
}

// channels are drawn in these proportions: half on the portal, a third by mail, the rest by API.
var channels = []opsdesk.Channel{opsdesk.ChannelWeb, opsdesk.ChannelWeb, opsdesk.ChannelWeb, opsdesk.ChannelMail,
	opsdesk.ChannelMail, opsdesk.ChannelAPI}

// ticket files one request at t (before the end of the history) and plays its life; the demo
// and the bulk seed share it.
func (g *gen) ticket(c *customer, t time.Time) (*ticket, error) {
	g.at(t)
	si := g.rnd.IntN(len(scenarios))
	s := scenarios[si]
	sev := pick(g, s.severities)
	n := &opsdesk.NewTicket{CustomerID: c.ID, Category: s.category, Severity: sev, Subject: s.subject.in(c.lang),
		Description: s.body.in(c.lang), Channel: pick(g, channels)}
	if sev == "blocking" {
		n.Impact = s.impact.in(c.lang)
	}
	switch {
	case sev == "blocking" || sev == "major" || g.rnd.IntN(3) == 0:
		n.EnvironmentID = c.envs[opsdesk.EnvProd].ID
	case g.rnd.IntN(2) == 0:
		n.EnvironmentID = c.envs[opsdesk.EnvPreprod].ID
	}
	requester := pick(g, c.users)
	ctx := g.as(requester)
	if n.Channel == opsdesk.ChannelMail {
		ctx, n.RequesterEmail = opsdesk.WithActor(g.ctx, opsdesk.System("mail")), pick(g, append(append([]string{}, c.contacts...), requester.Email))
	}
	var tk *opsdesk.Ticket
	var thread *mailThread
	var err error
	if n.Channel == opsdesk.ChannelMail && g.opt.Blobs != nil {
		tk, thread, err = g.mailRequest(c, s, n, requester) // a real message, through the mail intake
	} else {
		tk, err = g.db.CreateTicket(ctx, n)
	}
	if err != nil {
		return nil, fmt.Errorf("file %q for %s: %w", n.Subject, c.Code, err)
	}
	made := &ticket{key: tk.Key, id: tk.ID, cust: c, scenario: si, severity: sev, created: t}
	l := &life{g: g, c: c, s: s, tk: tk, t: t, requester: requester, mail: thread}
	if err := l.play(); err != nil {
		return nil, fmt.Errorf("%s: %w", tk.Key, err)
	}
	// What the SLA watcher does after each ticket event: store the clocks as they stand.
	if _, err := g.db.RefreshTicketClocks(g.sys, tk.ID, store.SLAOptions{}); err != nil {
		return nil, fmt.Errorf("%s: clocks: %w", tk.Key, err)
	}
	return made, nil
}
