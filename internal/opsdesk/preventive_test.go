package opsdesk

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// frenchDays is a business-day rule written for the test: Monday to Friday, minus a few French
// holidays of 2026 and a closed summer fortnight.
func frenchDays(day time.Time) bool {
	closed := map[string]bool{
		"2026-04-06": true, // Easter Monday
		"2026-05-01": true, // Labour Day (a Friday)
		"2026-11-01": true, // All Saints (a Sunday)
		"2026-12-25": true, // Christmas (a Friday)
	}
	d := day.Format(time.DateOnly)
	if d >= "2026-08-03" && d <= "2026-08-14" { // closed fortnight, Monday 3 to Friday 14 August
		return false
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !closed[d]
}

func TestPreventiveDays(t *testing.T) {
	cases := []struct {
		name        string
		first       string
		every       int
		unit        PreventiveUnit
		from, until string
		want        []string
	}{
		{"weekly around Easter Monday", "2026-03-30", 1, UnitWeeks, "2026-03-30", "2026-04-21",
			[]string{"2026-03-30", "2026-04-07", "2026-04-13", "2026-04-20"}},
		{"holiday on a Friday moves to Monday", "2026-12-25", 1, UnitMonths, "2026-01-01", "2027-01-01",
			[]string{"2026-12-28"}},
		{"month ends: the 31st clamps, then weekend and holiday", "2026-08-31", 1, UnitMonths, "2026-08-01", "2027-01-01",
			// 31 Oct is a Saturday, 1 Nov a Sunday and a holiday: Monday 2 November.
			[]string{"2026-08-31", "2026-09-30", "2026-11-02", "2026-11-30", "2026-12-31"}},
		{"31 January 2027: 28 February is a Sunday, back to the 31st in March", "2027-01-31", 1, UnitMonths, "2027-01-01", "2027-05-01",
			[]string{"2027-02-01", "2027-03-01", "2027-03-31", "2027-04-30"}},
		{"leap year: 31 January 2028 gives 29 February", "2028-01-31", 1, UnitMonths, "2028-02-01", "2028-03-01",
			[]string{"2028-02-29"}},
		{"yearly from 29 February", "2024-02-29", 12, UnitMonths, "2024-01-01", "2029-01-01",
			// 2025-02-28 Friday; 2026-02-28 Saturday → Monday 2 March; 2027-02-28 Sunday → Monday 1 March.
			[]string{"2024-02-29", "2025-02-28", "2026-03-02", "2027-03-01", "2028-02-29"}},
		{"from and until bound the days", "2026-03-30", 2, UnitWeeks, "2026-04-13", "2026-04-27",
			[]string{"2026-04-13"}},
		{"a closed fortnight folds two weeks onto one day", "2026-07-27", 1, UnitWeeks, "2026-07-27", "2026-08-25",
			[]string{"2026-07-27", "2026-08-17", "2026-08-24"}},
		{"Labour Day on a Friday", "2026-05-01", 3, UnitMonths, "2026-05-01", "2026-06-01",
			[]string{"2026-05-04"}},
		{"nothing before the first day", "2026-12-01", 1, UnitWeeks, "2026-01-01", "2026-12-01", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &PreventiveSchedule{FirstDay: tc.first, Every: tc.every, Unit: tc.unit}
			got, err := PreventiveDays(s, tc.from, tc.until, frenchDays)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("days = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPreventiveDaysNoBusinessDay(t *testing.T) {
	s := &PreventiveSchedule{FirstDay: "2026-01-05", Every: 1, Unit: UnitWeeks}
	got, err := PreventiveDays(s, "2026-01-01", "2026-03-01", func(time.Time) bool { return false })
	if err != nil || len(got) != 0 {
		t.Fatalf("days = %v, %v; want none", got, err)
	}
}

func TestPreventiveScheduleValidate(t *testing.T) {
	ok := func() PreventiveSchedule {
		return PreventiveSchedule{Kind: PreventiveAudit, Title: " Yearly audit ", CustomerID: 3, Every: 12,
			Unit: UnitMonths, FirstDay: "2026-06-01", EstimateHours: 8, Level: LevelN2}
	}
	s := ok()
	if err := s.Validate(); err != nil || s.Title != "Yearly audit" {
		t.Fatalf("valid schedule: %v, title %q", err, s.Title)
	}
	cases := []struct {
		field string
		edit  func(*PreventiveSchedule)
	}{
		{"kind", func(s *PreventiveSchedule) { s.Kind = "backup" }},
		{"title", func(s *PreventiveSchedule) { s.Title = "  " }},
		{"every", func(s *PreventiveSchedule) { s.Every = 0 }},
		{"unit", func(s *PreventiveSchedule) { s.Unit = "days" }},
		{"first_day", func(s *PreventiveSchedule) { s.FirstDay = "2026-02-30" }},
		{"estimate_hours", func(s *PreventiveSchedule) { s.EstimateHours = -1 }},
		{"level", func(s *PreventiveSchedule) { s.Level = "N4" }},
		{"environment", func(s *PreventiveSchedule) { s.CustomerID, s.EnvironmentID = 0, 4 }},
	}
	for _, tc := range cases {
		s := ok()
		tc.edit(&s)
		var e *Error
		if err := s.Validate(); !errors.As(err, &e) || e.Kind != KindInvalid || e.Field != tc.field {
			t.Errorf("%s: error = %v", tc.field, err)
		}
	}
}

func TestCheckPreventiveMove(t *testing.T) {
	cases := []struct {
		from, to PreventiveStatus
		note     string
		field    string // "" when allowed
	}{
		{PreventiveTodo, PreventiveInProgress, "", ""},
		{PreventiveTodo, PreventiveDone, "", ""},
		{PreventiveInProgress, PreventiveDone, "renewed", ""},
		{PreventiveInProgress, PreventiveTodo, "", ""},
		{PreventiveTodo, PreventiveSkipped, "customer froze changes", ""},
		{PreventiveTodo, PreventiveSkipped, " ", "note"},
		{PreventiveDone, PreventiveTodo, "", "status"},
		{PreventiveSkipped, PreventiveDone, "", "status"},
		{PreventiveTodo, PreventiveTodo, "", "status"},
	}
	for _, tc := range cases {
		err := CheckPreventiveMove(tc.from, tc.to, tc.note)
		var e *Error
		if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &e) || e.Field != tc.field) {
			t.Errorf("%s → %s (%q): %v, want field %q", tc.from, tc.to, tc.note, err, tc.field)
		}
	}
}
