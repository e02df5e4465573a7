package sla

import (
	"testing"
	"time"
)

func TestResolveTarget(t *testing.T) {
	ts := DefaultTargets(7*time.Hour + 30*time.Minute)
	tests := []struct {
		severity, env string
		ok            bool
		resolve       time.Duration
	}{
		{"blocking", "prod", true, 15 * time.Hour},                // severity + environment wins
		{"blocking", "test", true, 37*time.Hour + 30*time.Minute}, // falls back to any environment
		{"blocking", "", true, 37*time.Hour + 30*time.Minute},
		{"major", "prod", true, 37*time.Hour + 30*time.Minute},
		{"evolution", "", true, 0},
		{"urgent", "prod", false, 0},
	}
	for _, tt := range tests {
		got, ok := ResolveTarget(ts, tt.severity, tt.env)
		if ok != tt.ok || got.Resolve != tt.resolve {
			t.Errorf("ResolveTarget(%s, %s) = %+v, %v; want resolve %v, %v", tt.severity, tt.env, got, ok, tt.resolve, tt.ok)
		}
	}
	// An "any" target listed before a specific one does not hide it.
	ts = []Target{{Severity: "minor", Resolve: time.Hour}, {Severity: "minor", EnvKind: "prod", Resolve: time.Minute}}
	if got, _ := ResolveTarget(ts, "minor", "prod"); got.Resolve != time.Minute {
		t.Errorf("specific target not preferred: %+v", got)
	}
}

func TestDayLengthAndFormat(t *testing.T) {
	if d := FrenchCalendar().DayLength(); d != 7*time.Hour+30*time.Minute {
		t.Errorf("French day = %v", d)
	}
	if d := AlwaysOpen().DayLength(); d != 24*time.Hour {
		t.Errorf("24/7 day = %v", d)
	}
	split := mustParse(t, `{"timezone":"UTC","hours":{"mon":[["08:00","12:00"]],"sat":[["20:00","24:00"],["00:00","02:00"]]}}`)
	if d := split.DayLength(); d != 6*time.Hour {
		t.Errorf("split day = %v", d)
	}
	if d := (&Calendar{Timezone: "Nowhere/Else"}).DayLength(); d != 0 {
		t.Errorf("invalid calendar day = %v", d)
	}
	day := 7*time.Hour + 30*time.Minute
	for d, want := range map[time.Duration]string{
		0: "none", 2 * day: "2d", 4 * time.Hour: "4h", 90 * time.Minute: "1h30m", 45 * time.Minute: "45m",
		time.Hour + 5*time.Second: "1h5s", 500 * time.Millisecond: "0s",
	} {
		if got := FormatBusiness(d, day); got != want {
			t.Errorf("FormatBusiness(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestStoppedAt(t *testing.T) {
	tl := Timeline{
		Received: at(t, "2027-03-01T10:00:00+01:00"),
		TakenAt:  at(t, "2027-03-01T11:00:00+01:00"),
		Changes: []StatusChange{
			{at(t, "2027-03-01T11:00:00+01:00"), "open"},
			{at(t, "2027-03-02T12:00:00+01:00"), "resolved"},
			{at(t, "2027-03-03T09:00:00+01:00"), "open"},
			{at(t, "2027-03-03T10:30:00+01:00"), "resolved"},
			{at(t, "2027-03-05T10:30:00+01:00"), "closed"},
		},
	}
	want := map[ClockKind]string{TakeCharge: "2027-03-01T11:00:00+01:00", Workaround: "2027-03-02T12:00:00+01:00", Resolve: "2027-03-03T10:30:00+01:00"}
	for k, w := range want {
		if got := tl.StoppedAt(k); !got.Equal(at(t, w)) {
			t.Errorf("%s stopped at %v, want %s", k, got, w)
		}
	}
	tl.Changes = tl.Changes[:3] // reopened: resolve runs again
	if got := tl.StoppedAt(Resolve); !got.IsZero() {
		t.Errorf("reopened resolve stopped at %v", got)
	}
	tl.WorkaroundAt = at(t, "2027-03-01T15:00:00+01:00")
	if got := tl.StoppedAt(Workaround); !got.Equal(tl.WorkaroundAt) {
		t.Errorf("workaround stopped at %v", got)
	}
}
