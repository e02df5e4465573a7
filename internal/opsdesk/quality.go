package opsdesk

import (
	"math"
	"slices"
	"strings"
	"time"
)

// QualityIndicator names the dashboard figure a quality target watches (docs/capa.md, "Quality
// targets"); each is read from Indicators by Measure.
type QualityIndicator string

// The indicators a quality target may watch.
const (
	QualitySLATakeCharge  QualityIndicator = "sla_take_charge"  // take-charge compliance, %
	QualitySLAWorkaround  QualityIndicator = "sla_workaround"   // workaround compliance, %
	QualitySLAResolve     QualityIndicator = "sla_resolve"      // resolve compliance, %
	QualityCSATAverage    QualityIndicator = "csat_average"     // mean rating 1–5
	QualitySurveyResponse QualityIndicator = "survey_response"  // survey response rate, %
	QualityFirstContactN1 QualityIndicator = "first_contact_n1" // first-contact resolution at N1, %
	QualityReopen         QualityIndicator = "reopen"           // reopen rate, %
	QualityEscalationN1N2 QualityIndicator = "escalation_n1_n2" // escalation rate N1→N2, %
	QualityEscalationN2N3 QualityIndicator = "escalation_n2_n3" // escalation rate N2→N3, %
	QualityAvailability   QualityIndicator = "availability"     // lowest availability of the production environments, %
	QualityProjectsOnTime QualityIndicator = "projects_on_time" // projects closed by their target day, %
	QualityTakeChargeMean QualityIndicator = "take_charge_mean_minutes"
	QualityTakeChargeP90  QualityIndicator = "take_charge_p90_minutes"
	QualityResolveMean    QualityIndicator = "resolve_mean_minutes"
	QualityResolveP90     QualityIndicator = "resolve_p90_minutes"
)

// The units of the indicators.
const (
	qualityUnitPercent = "percent"
	qualityUnitRating  = "rating"
	qualityUnitMinutes = "minutes"
)

// QualityIndicatorInfo describes one indicator of the catalog: its unit (percent 0–100, rating
// 1–5, minutes of business time) and whether the ticket filters (severity) apply to it.
type QualityIndicatorInfo struct {
	Key      QualityIndicator `json:"key"`
	Unit     string           `json:"unit"`
	Severity bool             `json:"severity"` // a target may name a severity
}

// QualityIndicators is the fixed catalog, in the order forms list it.
var QualityIndicators = []QualityIndicatorInfo{
	{QualitySLATakeCharge, qualityUnitPercent, true},
	{QualitySLAWorkaround, qualityUnitPercent, true},
	{QualitySLAResolve, qualityUnitPercent, true},
	{QualityCSATAverage, qualityUnitRating, true},
	{QualitySurveyResponse, qualityUnitPercent, true},
	{QualityFirstContactN1, qualityUnitPercent, true},
	{QualityReopen, qualityUnitPercent, true},
	{QualityEscalationN1N2, qualityUnitPercent, true},
	{QualityEscalationN2N3, qualityUnitPercent, true},
	{QualityAvailability, qualityUnitPercent, false},
	{QualityProjectsOnTime, qualityUnitPercent, false},
	{QualityTakeChargeMean, qualityUnitMinutes, true},
	{QualityTakeChargeP90, qualityUnitMinutes, true},
	{QualityResolveMean, qualityUnitMinutes, true},
	{QualityResolveP90, qualityUnitMinutes, true},
}

// Info returns the catalog entry of the indicator, and false when it is not in the catalog.
func (q QualityIndicator) Info() (QualityIndicatorInfo, bool) {
	i := slices.IndexFunc(QualityIndicators, func(c QualityIndicatorInfo) bool { return c.Key == q })
	if i < 0 {
		return QualityIndicatorInfo{}, false
	}
	return QualityIndicators[i], true
}

// The comparators and periods of a quality target.
const (
	CompareAtLeast = "ge" // the value must be ≥ the threshold
	CompareAtMost  = "le" // the value must be ≤ the threshold
	PeriodWeek     = "week"
	PeriodMonth    = "month"
)

// QualityTarget is a level an indicator must reach over each week or month (issue #9): missed
// over a complete period, it proposes one corrective action.
type QualityTarget struct {
	ID         int64            `json:"id"`
	Indicator  QualityIndicator `json:"indicator"`
	Severity   string           `json:"severity,omitempty"` // a severity code; "": every severity
	CustomerID int64            `json:"customer_id,omitempty"`
	Comparator string           `json:"comparator"` // ge or le
	Threshold  float64          `json:"threshold"`
	Period     string           `json:"period"` // week or month
	Active     bool             `json:"active"`
	CreatedBy  string           `json:"created_by"`
	CreatedAt  time.Time        `json:"created_at"`
	UpdatedAt  time.Time        `json:"updated_at"`
}

// Validate checks the fields a person enters, naming the offending one. Whether the severity
// and the customer exist is the store's to check.
func (t *QualityTarget) Validate() error {
	t.Severity = strings.TrimSpace(t.Severity)
	info, ok := t.Indicator.Info()
	switch {
	case !ok:
		return Invalid("indicator", "unknown indicator %q", t.Indicator)
	case t.Severity != "" && !info.Severity:
		return Invalid("severity", "does not apply to %s", t.Indicator)
	case t.CustomerID < 0:
		return Invalid("customer", "must be a customer")
	case t.Comparator != CompareAtLeast && t.Comparator != CompareAtMost:
		return Invalid("comparator", "must be ge (at least) or le (at most)")
	case t.Period != PeriodWeek && t.Period != PeriodMonth:
		return Invalid("period", "must be week or month")
	case math.IsNaN(t.Threshold) || math.IsInf(t.Threshold, 0) || t.Threshold < 0:
		return Invalid("threshold", "must be a number of at least 0")
	case info.Unit == qualityUnitPercent && t.Threshold > 100:
		return Invalid("threshold", "is a percentage: at most 100")
	case info.Unit == qualityUnitRating && t.Threshold > 5:
		return Invalid("threshold", "is a rating: at most 5")
	}
	return nil
}

// Met tells whether value reaches the target (to within a billionth, so 95 % reads as 95).
func (t *QualityTarget) Met(value float64) bool {
	const eps = 1e-9
	if t.Comparator == CompareAtMost {
		return value <= t.Threshold+eps
	}
	return value >= t.Threshold-eps
}

// LastPeriod is the last complete period of the target before now, [start, end) in UTC: the
// previous ISO week (Monday 00:00 to Monday 00:00) or the previous calendar month.
func (t *QualityTarget) LastPeriod(now time.Time) (start, end time.Time) {
	now = now.UTC()
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if t.Period == PeriodWeek {
		end = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // this week's Monday
		return end.AddDate(0, 0, -7), end
	}
	end = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return end.AddDate(0, -1, 0), end
}

// Measure reads the indicator from the dashboard figures: its value, and false when nothing
// was measured (no clock, survey, ticket, check or project counted: the ratio's denominator is
// 0). Percentages are 0–100, durations in minutes.
func (q QualityIndicator) Measure(in *Indicators) (float64, bool) {
	pct := func(r Ratio) (float64, bool) {
		if r.Den == 0 {
			return 0, false
		}
		return float64(r.Num) * 100 / float64(r.Den), true
	}
	sla := func(clock string) (float64, bool) {
		for _, c := range in.SLA {
			if c.Clock == clock {
				return pct(c.Ratio())
			}
		}
		return 0, false
	}
	minutes := func(d DurationStats, p90 bool) (float64, bool) {
		if d.Count == 0 {
			return 0, false
		}
		if p90 {
			return d.P90.Minutes(), true
		}
		return d.Mean.Minutes(), true
	}
	switch q {
	case QualitySLATakeCharge:
		return sla("take_charge")
	case QualitySLAWorkaround:
		return sla("workaround")
	case QualitySLAResolve:
		return sla("resolve")
	case QualityCSATAverage:
		return in.CSATAverage, in.CSATRated > 0
	case QualitySurveyResponse:
		return pct(in.SurveyResponse)
	case QualityFirstContactN1:
		return pct(in.FirstContactN1)
	case QualityReopen:
		return pct(in.Reopen)
	case QualityEscalationN1N2:
		return pct(in.EscalationN1N2)
	case QualityEscalationN2N3:
		return pct(in.EscalationN2N3)
	case QualityAvailability:
		low, ok := 0.0, false
		for _, e := range in.Availability {
			if v, measured := pct(e.Ratio()); measured && (!ok || v < low) {
				low, ok = v, true
			}
		}
		return low, ok
	case QualityProjectsOnTime:
		return pct(in.ProjectsOnTime)
	case QualityTakeChargeMean:
		return minutes(in.TakeCharge, false)
	case QualityTakeChargeP90:
		return minutes(in.TakeCharge, true)
	case QualityResolveMean:
		return minutes(in.Resolve, false)
	case QualityResolveP90:
		return minutes(in.Resolve, true)
	}
	return 0, false
}

// QualityResult is one evaluation of a target over one complete period.
type QualityResult struct {
	TargetID    int64     `json:"target_id"`
	PeriodStart time.Time `json:"period_start"`
	PeriodEnd   time.Time `json:"period_end"`
	Measured    bool      `json:"measured"` // false: nothing counted in the period
	Value       float64   `json:"value"`
	Met         bool      `json:"met"`
	ActionID    int64     `json:"action_id,omitempty"` // the corrective action proposed when missed
	EvaluatedAt time.Time `json:"evaluated_at"`
	// Proposed is set on the result of the evaluation that proposed ActionID (not stored).
	Proposed bool `json:"-"`
}
