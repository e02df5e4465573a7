package web

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// slaPanel is the service-level panel of a ticket page: its three clocks (take charge, work
// around, resolve), with deadlines shown in the time zone of the calendar they count in.
type slaPanel struct {
	Clocks   []slaClockView
	Zone     string // the calendar's IANA zone, the deadlines' zone
	Calendar string // the calendar's name
}

// slaClockView is one clock as the panels show it, every text in the page's language.
type slaClockView struct {
	Clock   string    // take_charge, workaround or resolve
	Target  string    // the business time committed; "" without target
	At      time.Time // the deadline (the instant the target is or was exceeded), or the stop of a met clock
	Local   string    // At in the calendar's zone
	Left    string    // "2 h 15 min left", "overdue by 1 h 05 min", "met at …"; "" when it does not apply
	State   string    // ok, at_risk, breached, met or none: the badge
	Paused  bool      // standing still in a pausing status (waiting for the customer)
	Stopped bool      // stopped for good
}

// ticketSLA reads a ticket's clocks, evaluated now, for the page of the actor: the store scopes
// them like the ticket itself.
func (s *Server) ticketSLA(c *call, t *opsdesk.Ticket) (*slaPanel, error) {
	clocks, err := s.db.TicketSLA(c.ctx, t.Key, s.sla)
	if err != nil {
		return nil, err
	}
	// The clocks count in the contract's calendar, or the default one: the French calendar
	// while the database has none (as the store counts them).
	cal := sla.FrenchCalendar()
	named, err := s.db.ContractCalendar(c.ctx, t.CustomerID)
	switch {
	case err == nil:
		cal = named.Calendar
	case !opsdesk.IsKind(err, opsdesk.KindNotFound):
		return nil, err
	}
	loc, day := cal.Location(), cal.DayLength()
	if loc == nil {
		loc = time.UTC
	}
	p := &slaPanel{Zone: loc.String()}
	for _, k := range clocks {
		p.Calendar = k.Calendar
		p.Clocks = append(p.Clocks, clockView(c, k, loc, day))
	}
	return p, nil
}

// clockView prepares one clock of the store's view for display.
func clockView(c *call, k store.SLAClock, loc *time.Location, day time.Duration) slaClockView {
	v := slaClockView{Clock: k.Clock, State: k.State, Stopped: k.Stopped}
	if k.TargetSeconds == nil {
		v.State = string(sla.StateNone)
		return v
	}
	v.Target = businessTarget(c, time.Duration(*k.TargetSeconds)*time.Second, day)
	v.Paused = !k.Running && !k.Stopped
	left := time.Duration(*k.RemainingSeconds) * time.Second
	if k.Deadline != nil {
		v.At = parseInstant(*k.Deadline)
	}
	switch {
	case k.Stopped && k.State == string(sla.StateBreached):
		v.Left = c.T("sla.exceeded_by", businessTime(-left))
	case k.Stopped:
		v.State = "met"
		if k.StoppedAt != nil {
			v.At = parseInstant(*k.StoppedAt)
			v.Left = c.T("sla.met_at", localTime(v.At, loc))
		}
	case left < 0:
		v.Left = c.T("sla.overdue_by", businessTime(-left))
	default:
		v.Left = c.T("sla.left", businessTime(left))
	}
	if !v.At.IsZero() {
		v.Local = localTime(v.At, loc)
	}
	return v
}

// parseInstant reads an instant of the store's SLA view (RFC 3339); zero if it cannot.
func parseInstant(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// localTime shows an instant to the minute in a zone, with the zone's abbreviation: the way
// SLA deadlines are shown, next to a label naming the zone.
func localTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// businessTime writes an amount of business time to the minute: "2 h 15 min", "45 min",
// "3 h", "1 h 05 min"; under a minute, "< 1 min". The units read the same in both languages.
func businessTime(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%d h %02d min", h, m)
	case h > 0:
		return fmt.Sprintf("%d h", h)
	case m > 0:
		return fmt.Sprintf("%d min", m)
	}
	return "< 1 min"
}

// businessTarget writes a target: in business days when it is a whole number of the calendar's
// days ("2 business days"), else in hours and minutes.
func businessTarget(c *call, d, day time.Duration) string {
	switch {
	case day > 0 && d >= day && d%day == 0 && d/day == 1:
		return c.T("sla.day")
	case day > 0 && d >= day && d%day == 0:
		return c.T("sla.days", int64(d/day))
	}
	return businessTime(d)
}
