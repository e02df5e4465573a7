package opsdesk

import "time"

// maxPreventiveSteps bounds the walk of a series, so a mistaken calendar (no business day at
// all) or a far horizon cannot loop for ever.
const maxPreventiveSteps = 5000

// maxClosedRun is how many closed days in a row the move to the next business day crosses
// before giving up on the date.
const maxClosedRun = 366

// NominalDay is the k-th date of a series before the business-day rule: first + k × every
// units. A month interval keeps the first day's day of month, clamped to the month's last day
// (the 31st gives 30 April, 28 or 29 February); every date is computed from first, so the
// series returns to the 31st after a short month.
func NominalDay(first time.Time, every int, unit PreventiveUnit, k int) time.Time {
	y, m, d := first.Date()
	if unit == UnitWeeks {
		return time.Date(y, m, d+7*every*k, 0, 0, 0, 0, time.UTC)
	}
	months := int(m) - 1 + every*k
	ty, tm := y+months/12, time.Month(months%12+1)
	last := time.Date(ty, tm+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return time.Date(ty, tm, min(d, last), 0, 0, 0, 0, time.UTC)
}

// PreventiveDays returns the due days of a schedule's occurrences that fall on or after from
// and before until (days YYYY-MM-DD, civil dates read as UTC midnights), in order and without
// repeats. Each nominal date (NominalDay) that is not a business day — business tells, for a
// civil date, whether the customer's calendar opens on it — moves to the next business day.
// Dates before FirstDay are never made. Errors: invalid (first_day, every, unit).
func PreventiveDays(s *PreventiveSchedule, from, until string, business func(day time.Time) bool) ([]string, error) {
	first, err := time.Parse(time.DateOnly, s.FirstDay)
	if err != nil {
		return nil, Invalid("first_day", "must be a date YYYY-MM-DD")
	}
	if s.Every < 1 {
		return nil, Invalid("every", "must be at least 1")
	}
	if s.Unit != UnitWeeks && s.Unit != UnitMonths {
		return nil, Invalid("unit", "must be weeks or months")
	}
	lo, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, Invalid("from", "must be a date YYYY-MM-DD")
	}
	hi, err := time.Parse(time.DateOnly, until)
	if err != nil {
		return nil, Invalid("until", "must be a date YYYY-MM-DD")
	}
	var out []string
	for k := range maxPreventiveSteps {
		nominal := NominalDay(first, s.Every, s.Unit, k)
		if !nominal.Before(hi) {
			break
		}
		due, ok := nextBusinessDay(nominal, business)
		if !ok || due.Before(lo) || !due.Before(hi) {
			continue
		}
		day := due.Format(time.DateOnly)
		if n := len(out); n > 0 && out[n-1] == day {
			continue // two nominal dates moved onto the same business day: one occurrence
		}
		out = append(out, day)
	}
	return out, nil
}

// nextBusinessDay returns day itself when it is a business day, else the first business day
// after it; false when none comes within a year.
func nextBusinessDay(day time.Time, business func(time.Time) bool) (time.Time, bool) {
	for range maxClosedRun {
		if business(day) {
			return day, true
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}, false
}
