package sla

import (
	"slices"
	"sync"
	"testing"
	"time"
)

func TestEasterSunday(t *testing.T) {
	tests := []struct {
		year       int
		month, day int
	}{
		{2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5}, {2027, 3, 28}, {2038, 4, 25},
		{2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24}, {2019, 4, 21},
		{1943, 4, 25}, // latest possible date
		{2285, 3, 22}, // earliest possible date
	}
	for _, tt := range tests {
		if m, d := easterSunday(tt.year); m != tt.month || d != tt.day {
			t.Errorf("Easter %d = %02d-%02d, want %02d-%02d", tt.year, m, d, tt.month, tt.day)
		}
	}
}

func TestFrenchHolidays(t *testing.T) {
	c := FrenchCalendar()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		year int
		want []string
	}{
		{2026, []string{"2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
			"2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25"}},
		{2027, []string{"2027-01-01", "2027-03-29", "2027-05-01", "2027-05-06", "2027-05-08", "2027-05-17",
			"2027-07-14", "2027-08-15", "2027-11-01", "2027-11-11", "2027-12-25"}},
		// 2008: Ascension and 1 May fall on the same day.
		{2008, []string{"2008-01-01", "2008-03-24", "2008-05-01", "2008-05-08", "2008-05-12",
			"2008-07-14", "2008-08-15", "2008-11-01", "2008-11-11", "2008-12-25"}},
	}
	for _, tt := range tests {
		if got := c.HolidaysIn(tt.year); !slices.Equal(got, tt.want) {
			t.Errorf("HolidaysIn(%d) =\n%v\nwant\n%v", tt.year, got, tt.want)
		}
	}
}

func TestFrenchCalendar(t *testing.T) {
	c := FrenchCalendar()
	tests := []struct {
		start string
		d     time.Duration
		want  string
	}{
		{"2026-06-01T10:00:00+02:00", 4 * time.Hour, "2026-06-01T15:30:00+02:00"},
		{"2026-06-01T12:30:00+02:00", time.Hour, "2026-06-01T15:00:00+02:00"},
		// Wednesday 13 May 17:00, then Ascension: to Friday 15 May.
		{"2026-05-13T17:00:00+02:00", 2 * time.Hour, "2026-05-15T10:00:00+02:00"},
		// Two business days (15 h) from Friday 24 December 2027 at 16:00:
		// the 25th is a Saturday anyway; 2 h on Friday, 7.5 h on Monday
		// 27th, 5.5 h on Tuesday 28th.
		{"2027-12-24T16:00:00+01:00", 15 * time.Hour, "2027-12-28T16:00:00+01:00"},
		// 14 July 2027 is a Wednesday.
		{"2027-07-13T17:30:00+02:00", time.Hour, "2027-07-15T09:30:00+02:00"},
	}
	for _, tt := range tests {
		got := c.Deadline(at(t, tt.start), tt.d)
		if want := at(t, tt.want); !got.Equal(want) {
			t.Errorf("Deadline(%s, %v) = %s, want %s", tt.start, tt.d, got.Format(time.RFC3339), tt.want)
		}
	}
	// A week of 2026 with Ascension (Thursday 14 May): 4 days × 7.5 h.
	if got := c.Elapsed(at(t, "2026-05-11T00:00:00+02:00"), at(t, "2026-05-18T00:00:00+02:00")); got != 30*time.Hour {
		t.Errorf("Elapsed over Ascension week = %v, want 30h", got)
	}
}

func TestHolidayRules(t *testing.T) {
	c := mustParse(t, `{"timezone": "UTC", "hours": {"mon": [["09:00","17:00"]]},
	 "holidays": ["2024-12-31"],
	 "holiday_rules": ["good_friday", "easter_offset:0", "easter_offset:-47", "fixed:02-29", "easter_offset:280", "easter_offset:-100"]}`)
	tests := []struct {
		year int
		want []string
	}{
		// Easter 2024-03-31: Mardi gras (-47) 02-13, Good Friday 03-29.
		// Offsets reach into other years: Easter 2023 (04-09) +280 is
		// 2024-01-14, Easter 2024 +280 is 2025-01-05; Easter 2025 (04-20)
		// -100 is 2025-01-10, Easter 2026 (04-05) -100 is 2025-12-26.
		{2024, []string{"2024-01-14", "2024-02-13", "2024-02-29", "2024-03-29", "2024-03-31", "2024-12-31"}},
		{2025, []string{"2025-01-05", "2025-01-10", "2025-03-04", "2025-04-18", "2025-04-20", "2025-12-26"}},
	}
	for _, tt := range tests {
		if got := c.HolidaysIn(tt.year); !slices.Equal(got, tt.want) {
			t.Errorf("HolidaysIn(%d) = %v, want %v", tt.year, got, tt.want)
		}
	}
	// Years outside the cached range work the same way.
	for _, y := range []int{1900, 2300} {
		m, d := easterSunday(y)
		easter := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
		if !c.IsHoliday(easter) || c.IsHoliday(easter.AddDate(0, 0, 1)) {
			t.Errorf("Easter %d not found by IsHoliday", y)
		}
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	c := FrenchCalendar()
	want := FrenchCalendar().Deadline(at(t, "2026-05-13T17:00:00+02:00"), 2*time.Hour)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				start := at(t, "2026-05-13T17:00:00+02:00").AddDate(i, 0, 0)
				got := c.Deadline(start, 2*time.Hour)
				if i == 0 && !got.Equal(want) {
					t.Errorf("goroutine %d, run %d: %v, want %v", i, j, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestCivil(t *testing.T) {
	for day := int64(-800000); day < 800000; day += 97 {
		y, m, d := civilFromDays(day)
		if back := daysFromCivil(y, m, d); back != day {
			t.Fatalf("day %d -> %d-%d-%d -> %d", day, y, m, d, back)
		}
		if y > 0 {
			want := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC)
			if want.Unix()/secondsPerDay != day || want.Weekday() != weekdayOfDay(day) {
				t.Fatalf("day %d: %d-%d-%d %v, time says %v", day, y, m, d, weekdayOfDay(day), want)
			}
		}
	}
}
