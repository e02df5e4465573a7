package sla

import (
	"testing"
	"time"
)

// splitUTC is a split-day calendar: Monday to Friday 08:00–12:00 and
// 14:00–18:00 UTC; Wednesday 2026-06-03 is a holiday. 2026-06-01 is a Monday.
const splitUTC = `{"timezone": "UTC",
 "hours": {"mon": [["08:00","12:00"],["14:00","18:00"]], "tue": [["08:00","12:00"],["14:00","18:00"]],
  "wed": [["08:00","12:00"],["14:00","18:00"]], "thu": [["08:00","12:00"],["14:00","18:00"]],
  "fri": [["08:00","12:00"],["14:00","18:00"]]},
 "holidays": ["2026-06-03"]}`

// lateUTC has an evening window closing at 24:00 and a next-day window
// opening at 00:00.
const lateUTC = `{"timezone": "UTC",
 "hours": {"tue": [["20:00","24:00"]], "wed": [["00:00","02:00"],["09:00","10:00"]]}}`

func TestDeadline(t *testing.T) {
	split, late := mustParse(t, splitUTC), mustParse(t, lateUTC)
	tests := []struct {
		name  string
		cal   *Calendar
		start string
		d     time.Duration
		want  string
	}{
		{"inside a window", split, "2026-06-01T09:00:00Z", time.Hour, "2026-06-01T10:00:00Z"},
		{"across the lunch gap", split, "2026-06-01T11:00:00Z", 2 * time.Hour, "2026-06-01T15:00:00Z"},
		{"start in the lunch gap", split, "2026-06-01T12:30:00Z", time.Hour, "2026-06-01T15:00:00Z"},
		{"lands exactly on the lunch close", split, "2026-06-01T11:00:00Z", time.Hour, "2026-06-01T12:00:00Z"},
		{"lands exactly on the evening close", split, "2026-06-01T17:00:00Z", time.Hour, "2026-06-01T18:00:00Z"},
		{"one second past the close", split, "2026-06-01T17:00:00Z", time.Hour + time.Second, "2026-06-02T08:00:01Z"},
		{"start exactly at a close", split, "2026-06-01T12:00:00Z", 30 * time.Minute, "2026-06-01T14:30:00Z"},
		{"start exactly at an open", split, "2026-06-01T14:00:00Z", 30 * time.Minute, "2026-06-01T14:30:00Z"},
		{"start before opening", split, "2026-06-01T06:00:00Z", time.Hour, "2026-06-01T09:00:00Z"},
		{"start after closing", split, "2026-06-01T20:00:00Z", time.Hour, "2026-06-02T09:00:00Z"},
		{"zero inside", split, "2026-06-01T09:15:00Z", 0, "2026-06-01T09:15:00Z"},
		{"zero at an open", split, "2026-06-01T08:00:00Z", 0, "2026-06-01T08:00:00Z"},
		{"zero in the gap", split, "2026-06-01T12:30:00Z", 0, "2026-06-01T14:00:00Z"},
		{"zero at a close", split, "2026-06-01T18:00:00Z", 0, "2026-06-02T08:00:00Z"},
		{"negative counts as zero", split, "2026-06-01T12:30:00Z", -time.Hour, "2026-06-01T14:00:00Z"},
		{"start on a Saturday", split, "2026-06-06T10:00:00Z", time.Hour, "2026-06-08T09:00:00Z"},
		{"start on a holiday", split, "2026-06-03T09:00:00Z", time.Hour, "2026-06-04T09:00:00Z"},
		{"across a holiday", split, "2026-06-02T17:00:00Z", 2 * time.Hour, "2026-06-04T09:00:00Z"},
		{"two days to the close", split, "2026-06-01T08:00:00Z", 16 * time.Hour, "2026-06-02T18:00:00Z"},
		{"across a weekend", split, "2026-06-05T17:00:00Z", 2 * time.Hour, "2026-06-08T09:00:00Z"},
		{"sub-second start", split, "2026-06-01T09:00:00.5Z", time.Hour, "2026-06-01T10:00:00.5Z"},
		{"sub-second before opening", split, "2026-06-01T07:59:59.5Z", time.Second, "2026-06-01T08:00:01Z"},
		{"sub-second to the close", split, "2026-06-01T11:59:59.25Z", 750 * time.Millisecond, "2026-06-01T12:00:00Z"},
		{"24:00 runs into 00:00", late, "2026-06-02T23:00:00Z", 2 * time.Hour, "2026-06-03T01:00:00Z"},
		{"lands on 24:00", late, "2026-06-02T23:00:00Z", time.Hour, "2026-06-03T00:00:00Z"},
		{"from 24:00", late, "2026-06-03T00:00:00Z", 3 * time.Hour, "2026-06-03T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.Deadline(at(t, tt.start), tt.d)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("Deadline(%s, %v) = %s, want %s", tt.start, tt.d, got.Format(time.RFC3339Nano), tt.want)
			}
		})
	}
}

func TestElapsed(t *testing.T) {
	split, late := mustParse(t, splitUTC), mustParse(t, lateUTC)
	tests := []struct {
		name     string
		cal      *Calendar
		from, to string
		want     time.Duration
	}{
		{"empty range", split, "2026-06-01T09:00:00Z", "2026-06-01T09:00:00Z", 0},
		{"reversed range", split, "2026-06-01T10:00:00Z", "2026-06-01T09:00:00Z", 0},
		{"inside a window", split, "2026-06-01T09:00:00Z", "2026-06-01T10:30:00Z", 90 * time.Minute},
		{"whole split day", split, "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", 8 * time.Hour},
		{"over lunch", split, "2026-06-01T11:00:00Z", "2026-06-01T15:00:00Z", 2 * time.Hour},
		{"inside the gap", split, "2026-06-01T12:10:00Z", "2026-06-01T13:50:00Z", 0},
		{"up to a close", split, "2026-06-01T11:00:00Z", "2026-06-01T12:00:00Z", time.Hour},
		{"from a close", split, "2026-06-01T12:00:00Z", "2026-06-01T14:00:01Z", time.Second},
		{"week with a holiday", split, "2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z", 32 * time.Hour},
		{"holiday alone", split, "2026-06-03T00:00:00Z", "2026-06-04T00:00:00Z", 0},
		{"weekend", split, "2026-06-05T18:00:00Z", "2026-06-08T08:00:00Z", 0},
		{"sub-second", split, "2026-06-01T08:59:59.75Z", "2026-06-01T09:00:00.5Z", 750 * time.Millisecond},
		{"across midnight", late, "2026-06-02T22:00:00Z", "2026-06-03T01:30:00Z", 210 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.Elapsed(at(t, tt.from), at(t, tt.to)); got != tt.want {
				t.Errorf("Elapsed(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestIsOpenAndNextOpen(t *testing.T) {
	split := mustParse(t, splitUTC)
	tests := []struct {
		at   string
		open bool
		next string
	}{
		{"2026-06-01T07:59:59Z", false, "2026-06-01T08:00:00Z"},
		{"2026-06-01T08:00:00Z", true, "2026-06-01T08:00:00Z"},
		{"2026-06-01T11:59:59.999Z", true, "2026-06-01T11:59:59.999Z"},
		{"2026-06-01T12:00:00Z", false, "2026-06-01T14:00:00Z"},
		{"2026-06-02T18:00:00Z", false, "2026-06-04T08:00:00Z"}, // Wednesday is a holiday
		{"2026-06-03T10:00:00Z", false, "2026-06-04T08:00:00Z"},
		{"2026-06-06T10:00:00Z", false, "2026-06-08T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.at, func(t *testing.T) {
			if got := split.IsOpen(at(t, tt.at)); got != tt.open {
				t.Errorf("IsOpen = %v, want %v", got, tt.open)
			}
			if got := split.NextOpen(at(t, tt.at)); !got.Equal(at(t, tt.next)) {
				t.Errorf("NextOpen = %s, want %s", got.Format(time.RFC3339Nano), tt.next)
			}
		})
	}
}

func TestResultLocation(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	start := time.Date(2026, 6, 1, 9, 0, 0, 0, paris)
	c := mustParse(t, splitUTC)
	if got := c.Deadline(start, time.Hour); got.Location() != paris {
		t.Errorf("deadline in %v, want the start's location", got.Location())
	}
	// A monotonic clock reading does not leak into the result.
	now := time.Now()
	if got := AlwaysOpen().Deadline(now, time.Hour); got != got.Round(0) {
		t.Error("deadline carries a monotonic clock reading")
	}
}

func TestAlwaysOpen(t *testing.T) {
	c := AlwaysOpen()
	start := at(t, "2026-03-29T01:30:00+01:00")
	if got := c.Deadline(start, 36*time.Hour); !got.Equal(start.Add(36 * time.Hour)) {
		t.Errorf("Deadline = %v", got)
	}
	if got := c.Elapsed(start, start.Add(100*time.Hour)); got != 100*time.Hour {
		t.Errorf("Elapsed = %v", got)
	}
	if !c.IsOpen(start) || !c.NextOpen(start).Equal(start) || c.IsHoliday(start) {
		t.Error("24/7 calendar not open")
	}
	// always_open ignores hours and holidays.
	c2 := mustParse(t, `{"timezone": "Europe/Paris", "always_open": true, "hours": {"mon": [["09:00","10:00"]]}, "holidays": ["2026-03-29"]}`)
	if got := c2.Elapsed(start, start.Add(24*time.Hour)); got != 24*time.Hour {
		t.Errorf("Elapsed on an always open calendar with hours = %v", got)
	}
}

func TestSearchLimit(t *testing.T) {
	// A calendar with no open time at all is refused by Validate; one built
	// by hand with only a closed weekday still terminates.
	c := &Calendar{Timezone: "UTC", Hours: map[string][]Window{"mon": {}}}
	if c.Validate() == nil {
		t.Fatal("Validate accepted a calendar without windows")
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.Deadline(start, time.Hour); !got.IsZero() {
		t.Errorf("Deadline = %v, want the zero time", got)
	}
	// A valid calendar whose deadline lies beyond ten years: the zero time.
	sparse := mustParse(t, `{"timezone": "UTC", "hours": {"mon": [["09:00","09:01"]]}}`)
	if got := sparse.Deadline(start, 600*time.Minute); !got.IsZero() {
		t.Errorf("Deadline 600 weeks away = %v, want the zero time", got)
	}
	if got := sparse.Deadline(start, 500*time.Minute); got.IsZero() {
		t.Error("Deadline 500 weeks away gave up")
	}
}

func TestExtremeInstants(t *testing.T) {
	c := FrenchCalendar()
	instants := []time.Time{
		{},
		time.Unix(1<<62, 0),
		time.Unix(-1<<62, 0),
		time.Unix(1<<63-1, 999999999),
		time.Unix(-1<<63, 0),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	for _, a := range instants {
		c.Deadline(a, 2*time.Hour)
		c.Deadline(a, 1<<62)
		c.IsOpen(a)
		c.NextOpen(a)
		c.IsHoliday(a)
		for _, b := range instants[:3] {
			done := make(chan struct{})
			go func() {
				defer close(done)
				c.Elapsed(a, b)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("Elapsed(%v, %v) runs for ever", a, b)
			}
		}
	}
	// Elapsed over the longest span it measures: about 292 years.
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.Elapsed(from, from.AddDate(1000, 0, 0)); got < 100*365*7*time.Hour {
		t.Errorf("Elapsed over 1000 years = %v", got)
	}
}
