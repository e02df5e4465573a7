package opsdesk

import "time"

// IndicatorFilter selects the tickets the indicators are computed over (docs/indicators.md).
// The period is the half-open [From, To) of UTC instants; the caller turns a week or a month
// into instants. The other fields, when set, keep only the tickets with that current value.
type IndicatorFilter struct {
	From, To   time.Time
	CustomerID int64   // 0: every customer (a customer user always gets their own)
	EnvKind    EnvKind // the kind of the ticket's environment
	Severity   string  // severity code
	Level      Level
	Channel    Channel
}

// Validate checks the filter, naming the offending field.
func (f IndicatorFilter) Validate() error {
	switch {
	case f.From.IsZero():
		return Invalid("from", "is required: the first instant of the period")
	case f.To.IsZero():
		return Invalid("to", "is required: the instant after the period")
	case !f.From.Before(f.To):
		return Invalid("to", "must be after from")
	case f.CustomerID < 0:
		return Invalid("customer", "must be a customer id")
	}
	if f.Level != "" {
		if _, ok := ParseLevel(string(f.Level)); !ok {
			return Invalid("level", "must be N1, N2 or N3")
		}
	}
	switch f.Channel {
	case "", ChannelWeb, ChannelMail, ChannelAPI, ChannelProbe:
	default:
		return Invalid("channel", "must be web, mail, api or probe")
	}
	return nil
}

// Ratio is a share counted as Num out of Den.
type Ratio struct{ Num, Den int }

// Rate is Num ÷ Den, and false when nothing was counted (Den 0).
func (r Ratio) Rate() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// SLACompliance is one clock's compliance over the period: Met ÷ (Met + Breached).
type SLACompliance struct {
	Clock    string // take_charge, workaround, resolve
	Met      int
	Breached int
}

// Ratio gives the compliance as a share.
func (s SLACompliance) Ratio() Ratio { return Ratio{s.Met, s.Met + s.Breached} }

// DurationStats are the business times of the clocks that stopped in the period.
type DurationStats struct {
	Count     int
	Mean, P90 time.Duration
}

// BacklogAge splits the backlog by age at the end of the period.
type BacklogAge struct {
	UnderDay   int // < 24 h
	UnderWeek  int // 1–7 days
	UnderMonth int // 7–30 days
	Older      int // ≥ 30 days
}

// ArticleUse is a knowledge-base article linked to tickets resolved in the period.
type ArticleUse struct {
	ArticleID int64
	Tickets   int
}

// EnvAvailability is the share of successful probe checks of one production environment over
// the period.
type EnvAvailability struct {
	EnvironmentID int64
	CustomerID    int64
	Name          string
	Checks, OK    int
}

// Ratio gives the availability as a share of the checks.
func (a EnvAvailability) Ratio() Ratio { return Ratio{a.OK, a.Checks} }

// Indicators are the figures of the steering dashboard for one filter; each is defined in
// docs/indicators.md.
type Indicators struct {
	Filter          IndicatorFilter
	TicketsCreated  int
	TicketsResolved int
	Backlog         int
	BacklogAge      BacklogAge
	SLA             []SLACompliance // one per clock, in sla.ClockKinds order
	TakeCharge      DurationStats
	Resolve         DurationStats
	FirstContactN1  Ratio
	EscalationN1N2  Ratio
	EscalationN2N3  Ratio
	Reopen          Ratio
	CSATAverage     float64 // mean rating 1–5 of the rated answers; 0 when none
	CSATRated       int
	SurveyResponse  Ratio
	KBDeflections   int
	ArticlesSolved  []ArticleUse // most tickets first, then article id
	ProbeIncidents  int
	Availability    []EnvAvailability // production environments with checks in the period, by id
	ProjectsOnTime  Ratio             // projects closed in the period by their target day
}
