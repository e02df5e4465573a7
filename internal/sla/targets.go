package sla

import (
	"fmt"
	"strings"
	"time"
)

// Target is the service level a contract promises for tickets of one severity, in one kind of
// environment or in any: the business time allowed to take charge of the ticket (GTI), to work
// around the problem and to resolve it (GTR). A zero duration means no commitment for that
// clock. EscalateOnBreach says whether a breach of one of these targets moves the ticket up one
// support level.
type Target struct {
	Severity         string // a severity code: blocking, major, …
	EnvKind          string // "prod", "preprod", "test", or "" for any environment
	TakeCharge       time.Duration
	Workaround       time.Duration
	Resolve          time.Duration
	EscalateOnBreach bool
}

// For returns the target of clock k (0 when there is none).
func (t Target) For(k ClockKind) time.Duration {
	switch k {
	case TakeCharge:
		return t.TakeCharge
	case Workaround:
		return t.Workaround
	case Resolve:
		return t.Resolve
	}
	return 0
}

// ResolveTarget picks the target that applies to a ticket of a severity in an environment kind
// ("" when the ticket names no environment): the one for that severity and that environment kind
// when there is one, else the one for the severity and any environment. ok is false when
// neither exists: the ticket's clocks then have no target.
func ResolveTarget(ts []Target, severity, envKind string) (t Target, ok bool) {
	for _, t := range ts {
		if t.Severity == severity && t.EnvKind == envKind && envKind != "" {
			return t, true
		}
	}
	for _, t := range ts {
		if t.Severity == severity && t.EnvKind == "" {
			return t, true
		}
	}
	return Target{}, false
}

// DefaultTargets returns the targets seeded for a contract without any, for the default severity
// scale. A business day is day of open time (the calendar's DayLength: 7.5 h for the French
// calendar, 24 h for a 24/7 one):
//
//	severity   environment  take charge  work around  resolve
//	blocking   prod         1 h          4 h          2 days     escalates on breach
//	blocking   any          2 h          1 day        5 days     escalates on breach
//	major      any          2 h          1 day        5 days     escalates on breach
//	minor      any          4 h          —            10 days
//	question   any          1 day        —            5 days
//	evolution  any          2 days       —            —
func DefaultTargets(day time.Duration) []Target {
	h := time.Hour
	return []Target{
		{Severity: "blocking", EnvKind: "prod", TakeCharge: h, Workaround: 4 * h, Resolve: 2 * day, EscalateOnBreach: true},
		{Severity: "blocking", TakeCharge: 2 * h, Workaround: day, Resolve: 5 * day, EscalateOnBreach: true},
		{Severity: "major", TakeCharge: 2 * h, Workaround: day, Resolve: 5 * day, EscalateOnBreach: true},
		{Severity: "minor", TakeCharge: 4 * h, Resolve: 10 * day},
		{Severity: "question", TakeCharge: day, Resolve: 5 * day},
		{Severity: "evolution", TakeCharge: 2 * day},
	}
}

// DayLength is the open time of the calendar's longest weekday, read from its windows (a
// "business day"): 7.5 h for FrenchCalendar, 24 h for an always-open calendar. It is 0 for an
// invalid calendar. Daylight-saving changes and holidays do not shorten it.
func (c *Calendar) DayLength() time.Duration {
	cc := c.tables()
	if cc == nil {
		return 0
	}
	if cc.always {
		return 24 * time.Hour
	}
	var longest int32
	for _, spans := range cc.week {
		var total int32
		for _, s := range spans {
			total += s.close - s.open
		}
		longest = max(longest, total)
	}
	return time.Duration(longest) * time.Second
}

// FormatBusiness writes a target for history lines and reasons: whole business days as "2d"
// (day being the calendar's DayLength), anything else as hours, minutes and seconds ("4h",
// "1h30m", "45m"); 0 is "none".
func FormatBusiness(d, day time.Duration) string {
	switch {
	case d <= 0:
		return "none"
	case day > 0 && d%day == 0:
		return fmt.Sprintf("%dd", d/day)
	}
	var b strings.Builder
	if h := d / time.Hour; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m := d % time.Hour / time.Minute; m > 0 {
		fmt.Fprintf(&b, "%dm", m)
	}
	if s := d % time.Minute / time.Second; s > 0 || b.Len() == 0 {
		fmt.Fprintf(&b, "%ds", s)
	}
	return b.String()
}

// StoppedAt returns the instant clock k stopped for good — taken in charge, workaround recorded
// or first resolution, last resolution — or the zero time while it may still run (a resolve
// clock stopped by a resolution resumes when the ticket is reopened).
func (tl Timeline) StoppedAt(k ClockKind) time.Time {
	if !stopped(tl, k) {
		return time.Time{}
	}
	if s := tl.stop(k); !s.IsZero() {
		return s
	}
	var at time.Time
	active := true
	for _, c := range tl.Changes {
		now := activeStatus(c.Status)
		if active && !now {
			at = c.At
		}
		active = now
	}
	return at
}
