package sla

import (
	"testing"
	"time"
)

// In Europe/Paris, 2026-03-29 02:00 CET jumps to 03:00 CEST (a 23-hour
// Sunday) and 2026-10-25 03:00 CEST falls back to 02:00 CET (a 25-hour
// Sunday, 02:00–03:00 happens twice).

func TestDSTParis(t *testing.T) {
	allDay := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]],
	 "wed": [["00:00","24:00"]], "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]}}`)
	office := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]],
	 "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]}}`)
	// Sunday windows with a boundary inside the changes.
	gapOpen := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"sun": [["02:30","05:00"]]}}`)
	gapClose := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"sun": [["01:00","02:30"]]}}`)
	gapInside := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"sun": [["02:15","02:45"]]}}`)
	gapReversed := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"sun": [["02:30","03:15"]]}}`)
	twiceOpen := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"sun": [["02:30","04:00"]]}}`)
	twiceClose := mustParse(t, `{"timezone": "Europe/Paris", "hours": {"sun": [["01:00","02:30"], ["02:30","03:30"]]}}`)

	elapsed := []struct {
		name     string
		cal      *Calendar
		from, to string
		want     time.Duration
	}{
		{"spring Sunday lasts 23 h", allDay, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 23 * time.Hour},
		{"autumn Sunday lasts 25 h", allDay, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 25 * time.Hour},
		{"office week over the spring change", office, "2026-03-27T09:00:00+01:00", "2026-03-30T17:00:00+02:00", 16 * time.Hour},
		{"office week over the autumn change", office, "2026-10-23T09:00:00+02:00", "2026-10-26T17:00:00+01:00", 16 * time.Hour},
		// 02:30 does not exist on 2026-03-29: read at +01:00 it is 03:30 CEST.
		{"open in the gap moves forward", gapOpen, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 90 * time.Minute},
		{"same window a week earlier", gapOpen, "2026-03-22T00:00:00+01:00", "2026-03-23T00:00:00+01:00", 150 * time.Minute},
		{"close in the gap moves forward", gapClose, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 90 * time.Minute},
		{"window inside the gap keeps its length", gapInside, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 30 * time.Minute},
		{"window reversed by the gap is empty", gapReversed, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 0},
		// 02:30 happens twice on 2026-10-25: the first one (+02:00) counts.
		{"open in the repeated hour", twiceOpen, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 150 * time.Minute},
		{"close in the repeated hour", twiceClose, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 90*time.Minute + 2*time.Hour},
	}
	for _, tt := range elapsed {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cal.Elapsed(at(t, tt.from), at(t, tt.to)); got != tt.want {
				t.Errorf("Elapsed = %v, want %v", got, tt.want)
			}
		})
	}

	deadlines := []struct {
		name  string
		cal   *Calendar
		start string
		d     time.Duration
		want  string
	}{
		{"24 h over the spring Sunday", allDay, "2026-03-29T00:00:00+01:00", 24 * time.Hour, "2026-03-30T01:00:00+02:00"},
		{"24 h over the autumn Sunday", allDay, "2026-10-25T00:00:00+02:00", 24 * time.Hour, "2026-10-25T23:00:00+01:00"},
		{"Friday to Monday, spring", office, "2026-03-27T16:00:00+01:00", 2 * time.Hour, "2026-03-30T10:00:00+02:00"},
		{"Friday to Monday, autumn", office, "2026-10-23T16:00:00+02:00", 2 * time.Hour, "2026-10-26T10:00:00+01:00"},
		{"next opening in the gap", gapOpen, "2026-03-29T00:00:00+01:00", 0, "2026-03-29T03:30:00+02:00"},
		{"close in the gap", gapClose, "2026-03-29T01:00:00+01:00", 90 * time.Minute, "2026-03-29T03:30:00+02:00"},
		{"reversed window skipped", gapReversed, "2026-03-29T00:00:00+01:00", 0, "2026-04-05T02:30:00+02:00"},
		{"first occurrence opens", twiceOpen, "2026-10-25T00:00:00+02:00", 0, "2026-10-25T02:30:00+02:00"},
		{"first occurrence closes", twiceClose, "2026-10-25T01:00:00+02:00", 90 * time.Minute, "2026-10-25T02:30:00+02:00"},
		{"then on to 03:30 CET", twiceClose, "2026-10-25T01:00:00+02:00", 90*time.Minute + 2*time.Hour, "2026-10-25T03:30:00+01:00"},
	}
	for _, tt := range deadlines {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.Deadline(at(t, tt.start), tt.d)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("Deadline(%s, %v) = %s, want %s", tt.start, tt.d, got.Format(time.RFC3339), tt.want)
			}
		})
	}

	open := []struct {
		cal  *Calendar
		at   string
		want bool
	}{
		{gapOpen, "2026-03-29T03:15:00+02:00", false},
		{gapOpen, "2026-03-29T03:30:00+02:00", true},
		{gapOpen, "2026-03-29T04:59:59+02:00", true},
		{gapOpen, "2026-03-29T05:00:00+02:00", false},
		{twiceOpen, "2026-10-25T02:15:00+02:00", false},
		{twiceOpen, "2026-10-25T02:30:00+02:00", true},
		{twiceOpen, "2026-10-25T02:15:00+01:00", true}, // the second 02:15 is after the first 02:30
		{twiceClose, "2026-10-25T02:29:59+02:00", true},
	}
	for _, tt := range open {
		if got := tt.cal.IsOpen(at(t, tt.at)); got != tt.want {
			t.Errorf("IsOpen(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

// The rule of sla-cases.md in its own words: Tehran's 2016-03-21 00:00 does
// not exist and is read as 01:00 +04:30.
func TestDSTTehranMidnight(t *testing.T) {
	c := mustParse(t, `{"timezone": "Asia/Tehran", "hours": {"mon": [["00:00","24:00"]]}}`)
	got := c.NextOpen(at(t, "2016-03-20T12:00:00+03:30"))
	if want := at(t, "2016-03-21T01:00:00+04:30"); !got.Equal(want) {
		t.Errorf("NextOpen = %s, want %s", got.Format(time.RFC3339), want.Format(time.RFC3339))
	}
	// The Monday then lasts 23 h.
	if got := c.Elapsed(at(t, "2016-03-20T00:00:00+03:30"), at(t, "2016-03-23T00:00:00+04:30")); got != 23*time.Hour {
		t.Errorf("Elapsed = %v, want 23h", got)
	}
}

func TestResolve(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	wall := func(y, m, d, hh, mm int) int64 {
		return time.Date(y, time.Month(m), d, hh, mm, 0, 0, time.UTC).Unix()
	}
	tests := []struct {
		name string
		w    int64
		want string
	}{
		{"winter", wall(2026, 1, 15, 9, 0), "2026-01-15T08:00:00Z"},
		{"summer", wall(2026, 7, 15, 9, 0), "2026-07-15T07:00:00Z"},
		{"gap start", wall(2026, 3, 29, 2, 0), "2026-03-29T01:00:00Z"},
		{"in the gap", wall(2026, 3, 29, 2, 30), "2026-03-29T01:30:00Z"},
		{"gap end", wall(2026, 3, 29, 3, 0), "2026-03-29T01:00:00Z"},
		{"repeated, first", wall(2026, 10, 25, 2, 30), "2026-10-25T00:30:00Z"},
		{"after the repeat", wall(2026, 10, 25, 3, 0), "2026-10-25T02:00:00Z"},
		{"gap far in the future", wall(2090, 3, 26, 2, 30), "2090-03-26T01:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := time.Unix(resolve(paris, tt.w), 0).UTC(); !got.Equal(at(t, tt.want)) {
				t.Errorf("resolve = %s, want %s", got.Format(time.RFC3339), tt.want)
			}
			// The cache gives the same answer whichever period it holds.
			for _, warm := range []int64{-40 * 86400, -3600, 0, 3600, 40 * 86400} {
				z := zoneCache{loc: paris}
				z.instant(tt.w + warm)
				if got := z.instant(tt.w); got != resolve(paris, tt.w) {
					t.Errorf("cached instant after %+ds = %d, resolve = %d", warm, got, resolve(paris, tt.w))
				}
			}
		})
	}
}

// Samoa skipped Friday 2011-12-30: 2011-12-29 24:00 (-10:00) was followed by
// 2011-12-31 00:00 (+14:00). Read with the offset in force before the change,
// the windows of the missing Friday fall on the Saturday, on top of its own.
func TestDSTSamoaSkippedDay(t *testing.T) {
	c := mustParse(t, `{"timezone": "Pacific/Apia", "hours": {"thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]}}`)
	tests := []struct {
		from, to string
		want     time.Duration
	}{
		{"2011-12-29T00:00:00-10:00", "2012-01-01T00:00:00+14:00", 16 * time.Hour},
		{"2011-12-31T08:00:00+14:00", "2011-12-31T12:00:00+14:00", 3 * time.Hour},
	}
	for _, tt := range tests {
		if got := c.Elapsed(at(t, tt.from), at(t, tt.to)); got != tt.want {
			t.Errorf("Elapsed(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	if got, want := c.NextOpen(at(t, "2011-12-31T00:00:00+14:00")), at(t, "2011-12-31T09:00:00+14:00"); !got.Equal(want) {
		t.Errorf("NextOpen = %v, want %v", got, want)
	}
}
