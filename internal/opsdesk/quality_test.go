package opsdesk_test

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// TestQualityMeasure reads every indicator of the catalog from one set of dashboard figures,
// each different, so that a key read from the wrong field shows; and nothing counted reads as
// not measured.
func TestQualityMeasure(t *testing.T) {
	in := &opsdesk.Indicators{
		SLA: []opsdesk.SLACompliance{{Clock: "take_charge", Met: 19, Breached: 1}, {Clock: "workaround", Met: 3, Breached: 1},
			{Clock: "resolve", Met: 1, Breached: 4}},
		TakeCharge:     opsdesk.DurationStats{Count: 3, Mean: 90 * time.Minute, P90: 150 * time.Minute},
		Resolve:        opsdesk.DurationStats{Count: 2, Mean: 30 * time.Hour, P90: 45 * time.Hour},
		FirstContactN1: opsdesk.Ratio{Num: 1, Den: 8},
		EscalationN1N2: opsdesk.Ratio{Num: 3, Den: 10},
		EscalationN2N3: opsdesk.Ratio{Num: 1, Den: 5},
		Reopen:         opsdesk.Ratio{Num: 1, Den: 40},
		CSATAverage:    4.25, CSATRated: 4,
		SurveyResponse: opsdesk.Ratio{Num: 3, Den: 4},
		Availability: []opsdesk.EnvAvailability{{EnvironmentID: 1, Checks: 1000, OK: 999}, {EnvironmentID: 2, Checks: 200, OK: 190},
			{EnvironmentID: 3, Checks: 0}},
		ProjectsOnTime: opsdesk.Ratio{Num: 2, Den: 3},
	}
	want := map[opsdesk.QualityIndicator]float64{
		opsdesk.QualitySLATakeCharge:  95,
		opsdesk.QualitySLAWorkaround:  75,
		opsdesk.QualitySLAResolve:     20,
		opsdesk.QualityCSATAverage:    4.25,
		opsdesk.QualitySurveyResponse: 75,
		opsdesk.QualityFirstContactN1: 12.5,
		opsdesk.QualityReopen:         2.5,
		opsdesk.QualityEscalationN1N2: 30,
		opsdesk.QualityEscalationN2N3: 20,
		opsdesk.QualityAvailability:   95, // the lowest environment's, not the mean
		opsdesk.QualityProjectsOnTime: float64(200) / 3,
		opsdesk.QualityTakeChargeMean: 90,
		opsdesk.QualityTakeChargeP90:  150,
		opsdesk.QualityResolveMean:    1800,
		opsdesk.QualityResolveP90:     2700,
	}
	if len(want) != len(opsdesk.QualityIndicators) {
		t.Fatalf("the test covers %d indicators, the catalog has %d", len(want), len(opsdesk.QualityIndicators))
	}
	empty := &opsdesk.Indicators{SLA: []opsdesk.SLACompliance{{Clock: "take_charge"}, {Clock: "workaround"}, {Clock: "resolve"}},
		Availability: []opsdesk.EnvAvailability{{EnvironmentID: 3}}}
	for _, info := range opsdesk.QualityIndicators {
		got, ok := info.Key.Measure(in)
		if !ok || got != want[info.Key] {
			t.Errorf("%s = %v (measured %v), want %v", info.Key, got, ok, want[info.Key])
		}
		if v, ok := info.Key.Measure(empty); ok {
			t.Errorf("%s measured %v with nothing counted", info.Key, v)
		}
	}
}

// TestQualityTargetValidateAndMet checks the refusals, field named, and the comparison.
func TestQualityTargetValidateAndMet(t *testing.T) {
	ok := opsdesk.QualityTarget{Indicator: opsdesk.QualitySLATakeCharge, Severity: " blocking ", Comparator: "ge", Threshold: 95, Period: "month"}
	cases := []struct {
		edit  func(*opsdesk.QualityTarget)
		field string
	}{
		{func(q *opsdesk.QualityTarget) {}, ""},
		{func(q *opsdesk.QualityTarget) { q.Indicator = "nps" }, "indicator"},
		{func(q *opsdesk.QualityTarget) { q.Indicator = opsdesk.QualityProjectsOnTime }, "severity"},
		{func(q *opsdesk.QualityTarget) { q.CustomerID = -1 }, "customer"},
		{func(q *opsdesk.QualityTarget) { q.Comparator = ">=" }, "comparator"},
		{func(q *opsdesk.QualityTarget) { q.Period = "quarter" }, "period"},
		{func(q *opsdesk.QualityTarget) { q.Threshold = 100.5 }, "threshold"},
		{func(q *opsdesk.QualityTarget) { q.Indicator, q.Threshold = opsdesk.QualityResolveP90, 100000 }, ""},
		{func(q *opsdesk.QualityTarget) { q.Indicator, q.Threshold = opsdesk.QualityCSATAverage, 5.1 }, "threshold"},
	}
	for i, c := range cases {
		q := ok
		c.edit(&q)
		if got := opsdesk.ErrorField(q.Validate()); got != c.field || (c.field == "") != (q.Validate() == nil) {
			t.Errorf("case %d: error on %q (%v), want %q", i, got, q.Validate(), c.field)
		}
	}
	q := ok
	_ = q.Validate()
	if q.Severity != "blocking" {
		t.Errorf("severity not trimmed: %q", q.Severity)
	}
	at := func(cmp string, th, v float64) bool {
		return (&opsdesk.QualityTarget{Comparator: cmp, Threshold: th}).Met(v)
	}
	if !at("ge", 95, 95) || at("ge", 95, 94.99) || !at("le", 5, 5) || at("le", 5, 5.01) || !at("ge", 4.2, 4.2) || !at("le", 30, 12) {
		t.Error("Met compares wrongly")
	}
}
