package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// NotifySLA mails the recipients of a recorded SLA alert — for a warning the assignee, else the
// ticket's group, else its level's agents; for a breach the ops managers (store.SLAAlert says
// who) — each in their own language: sla_warning or sla_breach, with the clock, its target, the
// deadline in the contract calendar's time zone, and, when the breach escalated the ticket, the
// level it moved to. It is slawatch.Options.Notify.
//
// It is idempotent: each mail is keyed by the alert and its recipient, so the retried job of an
// alert adds no mail twice. Recipients disabled since the alert was recorded, without an
// address, or not of the vendor's team are skipped; an alert whose ticket is gone mails nobody.
func (n *Notifier) NotifySLA(ctx context.Context, a *store.SLAAlert) error {
	ctx = systemCtx(ctx)
	kind := KindSLAWarning
	switch a.Kind {
	case store.AlertWarn:
	case store.AlertBreach:
		kind = KindSLABreach
	default:
		return fmt.Errorf("notify SLA alert %d: unknown kind %q", a.ID, a.Kind)
	}
	t, err := n.db.TicketByKey(ctx, a.Key)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("notify SLA alert %d: %w", a.ID, err)
	}
	mails, err := n.slaMails(ctx, t, a, kind)
	if err != nil {
		return fmt.Errorf("notify SLA alert %d (%s %s %s): %w", a.ID, a.Key, a.Clock, a.Kind, err)
	}
	if len(mails) == 0 {
		return nil
	}
	added, err := n.db.QueueMails(ctx, mails, n.sendJob)
	if err != nil {
		return fmt.Errorf("notify SLA alert %d: %w", a.ID, err)
	}
	if added > 0 {
		n.wake()
	}
	return nil
}

// slaMails renders the alert's mail for each recipient who may still get it.
func (n *Notifier) slaMails(ctx context.Context, t *opsdesk.Ticket, a *store.SLAAlert, kind Kind) ([]*store.OutboxMail, error) {
	// The contract's calendar gives the deadline's time zone and the length of a business day.
	loc, day := time.UTC, time.Duration(0)
	cal, err := n.db.ContractCalendar(ctx, t.CustomerID)
	switch {
	case err == nil && cal.Calendar != nil:
		if l := cal.Calendar.Location(); l != nil {
			loc = l
		}
		day = cal.Calendar.DayLength()
	case err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound):
		return nil, err
	}
	deadline, err := n.db.SLAAlertDeadline(ctx, a)
	if err != nil {
		return nil, err
	}
	e := &eventMails{n: n, t: t}
	cause := fmt.Sprint("sla-alert:", a.ID)
	for _, id := range a.Recipients {
		u, err := n.db.UserByID(ctx, id)
		if opsdesk.IsKind(err, opsdesk.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Disabled || u.Email == "" || !u.Role.Staff() {
			continue
		}
		r := staffRecipient(u)
		if !r.Lang.Valid() {
			r.Lang = n.opt.Lang
		}
		d := Data{Clock: clockName(a.Clock, r.Lang), Target: formatTarget(a.Target, day, r.Lang), Escalated: a.EscalatedTo != ""}
		if !deadline.IsZero() {
			d.Deadline = deadline.In(loc).Format("2006-01-02 15:04 MST")
		}
		if err := e.add(ctx, kind, cause, r, 0, "", d); err != nil {
			return nil, err
		}
	}
	// The level is the alert's, whatever happened since: the one the ticket was at when the
	// clock fell due, or the one the breach moved it to.
	level := a.Level
	if a.EscalatedTo != "" {
		level = a.EscalatedTo
	}
	mails := make([]*store.OutboxMail, 0, len(e.out))
	for _, p := range e.out {
		if level != "" {
			p.data.Level = string(level)
		}
		m, err := n.mail(ctx, t, p)
		if err != nil {
			return nil, fmt.Errorf("%s to %s: %w", p.kind, p.to.Email, err)
		}
		mails = append(mails, m)
	}
	return mails, nil
}

// clockName is how a mail in lang names an SLA clock, as in "the {{.Clock}} target" and
// "l'objectif de {{.Clock}}".
func clockName(k sla.ClockKind, lang opsdesk.Lang) string {
	names := map[sla.ClockKind][2]string{
		sla.TakeCharge: {"take-charge", "prise en charge"},
		sla.Workaround: {"workaround", "contournement"},
		sla.Resolve:    {"resolution", "résolution"},
	}
	n, ok := names[k]
	if !ok {
		return string(k)
	}
	if lang == opsdesk.LangFR {
		return n[1]
	}
	return n[0]
}

// formatTarget writes a target in business time for a mail in lang: whole business days of the
// calendar (day long) as days, anything else in hours and minutes — "2 business days",
// "2 jours ouvrés", "4 h", "1 h 30", "45 min". On a 24/7 calendar days are plain days.
func formatTarget(d, day time.Duration, lang opsdesk.Lang) string {
	fr := lang == opsdesk.LangFR
	if day > 0 && d >= day && d%day == 0 {
		n := int(d / day)
		unit := map[bool]string{false: "business day", true: "jour ouvré"}[fr]
		switch {
		case day == 24*time.Hour && fr:
			unit = "jour"
		case day == 24*time.Hour:
			unit = "day"
		}
		if n > 1 {
			unit = pluralUnit(unit)
		}
		return fmt.Sprintf("%d %s", n, unit)
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %02d", h, m)
}

// pluralUnit puts a unit of formatTarget in the plural.
func pluralUnit(u string) string {
	switch u {
	case "jour ouvré":
		return "jours ouvrés"
	case "business day":
		return "business days"
	}
	return u + "s"
}

// takeCharge is a ticket's commitment to take it in charge, for the acknowledgement and the
// agents' new-ticket mail: the take-charge target in business time and its deadline in the
// contract calendar's time zone. A zero target: none.
type takeCharge struct {
	target, day time.Duration
	deadline    time.Time
	loc         *time.Location
}

// takeCharge evaluates the ticket's take-charge clock now.
func (n *Notifier) takeCharge(ctx context.Context, t *opsdesk.Ticket) (takeCharge, error) {
	ctx = systemCtx(ctx)
	clocks, err := n.db.TicketSLA(ctx, t.Key, store.SLAOptions{})
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return takeCharge{}, nil // no calendar (defaults not seeded) or the ticket is gone: no commitment
	}
	if err != nil {
		return takeCharge{}, fmt.Errorf("take-charge clock of %s: %w", t.Key, err)
	}
	var h takeCharge
	for _, c := range clocks {
		if c.Clock != string(sla.TakeCharge) || c.TargetSeconds == nil || c.Deadline == nil {
			continue
		}
		h.target = time.Duration(*c.TargetSeconds) * time.Second
		if h.deadline, err = time.Parse(time.RFC3339, *c.Deadline); err != nil {
			return takeCharge{}, fmt.Errorf("take-charge deadline of %s: %w", t.Key, err)
		}
	}
	if h.target == 0 {
		return h, nil
	}
	h.loc = time.UTC
	cal, err := n.db.ContractCalendar(ctx, t.CustomerID)
	if err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return takeCharge{}, fmt.Errorf("calendar of %s: %w", t.Key, err)
	}
	if err == nil && cal.Calendar != nil {
		if l := cal.Calendar.Location(); l != nil {
			h.loc = l
		}
		h.day = cal.Calendar.DayLength()
	}
	return h, nil
}

// format writes the commitment for a mail in lang: "4 h (by 2027-03-01 14:00 CET)",
// "4 h (avant le 2027-03-01 14:00 CET)"; "" when there is none.
func (h takeCharge) format(lang opsdesk.Lang) string {
	if h.target == 0 {
		return ""
	}
	by := "by"
	if lang == opsdesk.LangFR {
		by = "avant le"
	}
	return fmt.Sprintf("%s (%s %s)", formatTarget(h.target, h.day, lang), by, h.deadline.In(h.loc).Format("2006-01-02 15:04 MST"))
}
