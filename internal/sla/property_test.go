package sla

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// Zones with DST changes at midnight (Sao Paulo and Tehran in the 2010s,
// Santiago), at 02:00 (Paris, New York, Sydney), by 30 minutes (Lord Howe),
// a skipped day (Apia, 2011-12-30) and none (UTC, Kolkata).
var propertyZones = []string{
	"UTC", "Europe/Paris", "America/Sao_Paulo", "Asia/Tehran", "Australia/Sydney",
	"America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia", "America/Santiago",
}

var propertyRules = []string{"fixed:01-01", "fixed:05-01", "fixed:12-25", "fixed:02-29", "easter_monday",
	"good_friday", "ascension", "whit_monday", "easter_offset:0", "easter_offset:-2"}

// randomCalendar builds a valid calendar with random split days, windows
// often near midnight and the small hours (where DST changes happen),
// random holidays and rules.
func randomCalendar(r *rand.Rand) *Calendar {
	c := &Calendar{Timezone: propertyZones[r.IntN(len(propertyZones))], Hours: map[string][]Window{}}
	for _, key := range weekdayKeys {
		switch r.IntN(8) {
		case 0, 1:
			continue
		case 2:
			c.Hours[key] = []Window{{"00:00", "24:00"}}
			continue
		}
		n := 1 + r.IntN(3)
		var points []int // minutes, 0..1440
		for len(points) < 2*n {
			var p int
			switch r.IntN(3) {
			case 0:
				p = r.IntN(5*60) / 15 * 15 // 00:00–05:00
			case 1:
				p = 1440 - r.IntN(3*60)/30*30 // 21:00–24:00
			default:
				p = r.IntN(1441)
			}
			if !slices.Contains(points, p) {
				points = append(points, p)
			}
		}
		slices.Sort(points)
		for i := 0; i < len(points); i += 2 {
			c.Hours[key] = append(c.Hours[key], Window{clock(points[i]), clock(points[i+1])})
		}
	}
	if len(c.Hours) == 0 {
		c.Hours["wed"] = []Window{{"09:00", "17:00"}}
	}
	for range r.IntN(6) {
		day := time.Date(2014+r.IntN(15), 1, 1+r.IntN(365), 0, 0, 0, 0, time.UTC)
		c.Holidays = append(c.Holidays, day.Format(time.DateOnly))
	}
	for _, rule := range propertyRules {
		if r.IntN(4) == 0 {
			c.HolidayRules = append(c.HolidayRules, rule)
		}
	}
	return c
}

func clock(minutes int) string {
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// randomInstant returns an instant between 2014 and 2028, sometimes with
// nanoseconds, sometimes an open instant or a window boundary.
func randomInstant(r *rand.Rand, c *Calendar) time.Time {
	t := time.Unix(time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC).Unix()+r.Int64N(15*365*86400), 0)
	switch r.IntN(6) {
	case 0:
		t = t.Add(time.Duration(r.IntN(1e9)))
	case 1:
		t = c.NextOpen(t)
	case 2:
		t = c.Deadline(t, time.Duration(1+r.IntN(40))*15*time.Minute) // often a close
	}
	return t
}

// randomDuration returns 0, a few seconds, a round number of quarter hours
// or any number of nanoseconds up to three days.
func randomDuration(r *rand.Rand) time.Duration {
	switch r.IntN(5) {
	case 0:
		return 0
	case 1:
		return time.Duration(1+r.IntN(90)) * time.Second
	case 2:
		return time.Duration(1+r.IntN(200)) * 15 * time.Minute
	}
	return time.Duration(r.Int64N(int64(72 * time.Hour)))
}

func TestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	iterations := 400
	if testing.Short() {
		iterations = 50
	}
	for i := range iterations {
		c := randomCalendar(r)
		if err := c.Validate(); err != nil {
			t.Fatalf("random calendar %d invalid: %v", i, err)
		}
		name := func() string { js, _ := c.MarshalJSON(); return string(js) }
		for range 10 {
			s := randomInstant(r, c)
			d1, d2 := randomDuration(r), randomDuration(r)
			dl := c.Deadline(s, d1)
			if dl.IsZero() {
				t.Fatalf("%s: Deadline(%v, %v) gave up", name(), s, d1)
			}
			// Elapsed undoes Deadline, from any start.
			if got := c.Elapsed(s, dl); got != d1 {
				t.Fatalf("%s: Elapsed(%v, Deadline(_, %v) = %v) = %v", name(), s, d1, dl, got)
			}
			// Deadline composes, for positive durations.
			if d1 > 0 && d2 > 0 {
				if a, b := c.Deadline(s, d1+d2), c.Deadline(dl, d2); !a.Equal(b) {
					t.Fatalf("%s: from %v, Deadline(%v+%v) = %v but chained = %v", name(), s, d1, d2, a, b)
				}
			}
			// Deadline is monotonic in d.
			if lo, hi := min(d1, d2), max(d1, d2); c.Deadline(s, lo).After(c.Deadline(s, hi)) {
				t.Fatalf("%s: from %v, Deadline(%v) after Deadline(%v)", name(), s, lo, hi)
			}
			// The next opening is open, and nothing before it is.
			next := c.NextOpen(s)
			if !c.IsOpen(next) || (next.After(s) && c.Elapsed(s, next) != 0) {
				t.Fatalf("%s: NextOpen(%v) = %v is not the next opening", name(), s, next)
			}
			if c.IsOpen(s) != next.Equal(s) {
				t.Fatalf("%s: IsOpen(%v) = %v but NextOpen = %v", name(), s, c.IsOpen(s), next)
			}
			// Elapsed is additive over a split point.
			b := s.Add(time.Duration(r.Int64N(int64(96 * time.Hour))))
			e := b.Add(time.Duration(r.Int64N(int64(96 * time.Hour))))
			if ab, be, ae := c.Elapsed(s, b), c.Elapsed(b, e), c.Elapsed(s, e); ab+be != ae {
				t.Fatalf("%s: Elapsed %v..%v..%v: %v + %v != %v", name(), s, b, e, ab, be, ae)
			}
			// Elapsed agrees with a slow, independent computation.
			if got, want := c.Elapsed(s, e), oracleElapsed(t, c, s, e); got != want {
				t.Fatalf("%s: Elapsed(%v, %v) = %v, oracle %v", name(), s, e, got, want)
			}
			// Away from DST changes, IsOpen is the plain wall-clock test.
			if open, ok := wallClockOpen(c, b); ok && open != c.IsOpen(b) {
				t.Fatalf("%s: IsOpen(%v) = %v, wall clock says %v", name(), b, !open, open)
			}
		}
	}
}

// oracleInstant reads a local wall time the slow way: the earliest instant
// showing it, or, in a gap, the wall time read with the offset in force
// 16 hours earlier (before the change).
func oracleInstant(loc *time.Location, day time.Time, sec int) time.Time {
	w := day.Add(time.Duration(sec) * time.Second) // wall time, as UTC
	var best time.Time
	for o := 14 * 3600; o >= -14*3600; o -= 15 * 60 { // largest offset = earliest instant first
		u := w.Add(-time.Duration(o) * time.Second)
		l := u.In(loc)
		if time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC).Equal(w) {
			best = u
			break
		}
	}
	if !best.IsZero() {
		return best
	}
	_, before := w.Add(-16 * time.Hour).In(loc).Zone()
	return w.Add(-time.Duration(before) * time.Second)
}

// oracleHoliday tells holidays from the fields, with time.Date arithmetic.
func oracleHoliday(c *Calendar, day time.Time) bool {
	date := day.Format(time.DateOnly)
	if slices.Contains(c.Holidays, date) {
		return true
	}
	for _, rule := range c.HolidayRules {
		var m, d, off int
		if _, err := fmt.Sscanf(rule, "fixed:%d-%d", &m, &d); err == nil {
			if day.Month() == time.Month(m) && day.Day() == d {
				return true
			}
			continue
		}
		off = map[string]int{"easter_monday": 1, "good_friday": -2, "ascension": 39, "whit_monday": 50}[rule]
		fmt.Sscanf(rule, "easter_offset:%d", &off)
		for y := day.Year() - 1; y <= day.Year()+1; y++ {
			em, ed := easterSunday(y)
			if time.Date(y, time.Month(em), ed+off, 0, 0, 0, 0, time.UTC).Equal(day) {
				return true
			}
		}
	}
	return false
}

// oracleElapsed counts open time day by day with the standard library's
// calendar arithmetic, by the same rule as the package: intervals in day
// and window order, counted from a cursor that never moves back.
func oracleElapsed(t *testing.T, c *Calendar, from, to time.Time) time.Duration {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		t.Fatal(err)
	}
	f, l := from.In(loc), to.In(loc)
	first := time.Date(f.Year(), f.Month(), f.Day()-1, 0, 0, 0, 0, time.UTC)
	last := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, time.UTC)
	cursor, total := from, time.Duration(0)
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		if oracleHoliday(c, day) {
			continue
		}
		wins := slices.Clone(c.Hours[weekdayKeys[(day.Weekday()+6)%7]])
		slices.SortFunc(wins, func(a, b Window) int { return strings.Compare(a.Open, b.Open) })
		for _, w := range wins {
			o := oracleInstant(loc, day, clockSeconds(w.Open))
			cl := oracleInstant(loc, day, clockSeconds(w.Close))
			if !cl.After(cursor) {
				continue
			}
			s := cursor
			if o.After(s) {
				s = o
			}
			if !s.Before(cl) {
				cursor = cl
				continue
			}
			if !s.Before(to) {
				return total
			}
			if to.Before(cl) {
				return total + to.Sub(s)
			}
			total += cl.Sub(s)
			cursor = cl
		}
	}
	return total
}

// wallClockOpen is the plain definition of "open" for an instant far from
// any offset change: its local date is not a holiday and its local time is
// in a window of its weekday. ok is false near an offset change.
func wallClockOpen(c *Calendar, t time.Time) (open, ok bool) {
	loc, _ := time.LoadLocation(c.Timezone)
	_, o1 := t.Add(-30 * time.Hour).In(loc).Zone()
	_, o2 := t.Add(30 * time.Hour).In(loc).Zone()
	if o1 != o2 {
		return false, false
	}
	l := t.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
	if oracleHoliday(c, day) {
		return false, true
	}
	tod := l.Hour()*3600 + l.Minute()*60 + l.Second()
	for _, w := range c.Hours[weekdayKeys[(l.Weekday()+6)%7]] {
		if clockSeconds(w.Open) <= tod && tod < clockSeconds(w.Close) {
			return true, true
		}
	}
	return false, true
}

func clockSeconds(s string) int {
	var h, m int
	fmt.Sscanf(s, "%d:%d", &h, &m)
	return h*3600 + m*60
}

// TestLongSpans checks the walk over many days at once — whole days counted without listing
// their windows, up to the next change of offset or holiday — against the slow computation,
// over spans of up to 400 days (every offset change and holiday of a year) and deadlines up
// to a year of open time away.
func TestLongSpans(t *testing.T) {
	r := rand.New(rand.NewPCG(2027, 3))
	iterations := 100
	if testing.Short() {
		iterations = 15
	}
	for i := range iterations {
		c := randomCalendar(r)
		name := func() string { js, _ := c.MarshalJSON(); return string(js) }
		for range 3 {
			s := randomInstant(r, c)
			e := s.Add(time.Duration(r.Int64N(int64(400 * 24 * time.Hour))))
			if got, want := c.Elapsed(s, e), oracleElapsed(t, c, s, e); got != want {
				t.Fatalf("calendar %d %s: Elapsed(%v, %v) = %v, oracle %v", i, name(), s, e, got, want)
			}
			d := time.Duration(r.Int64N(int64(2000 * time.Hour)))
			dl := c.Deadline(s, d)
			if dl.IsZero() {
				continue // a sparse calendar: beyond the search limit
			}
			if got := c.Elapsed(s, dl); got != d {
				t.Fatalf("calendar %d %s: Elapsed(%v, Deadline(_, %v) = %v) = %v", i, name(), s, d, dl, got)
			}
			if got := oracleElapsed(t, c, s, dl); got != d {
				t.Fatalf("calendar %d %s: oracle Elapsed(%v, Deadline(_, %v) = %v) = %v", i, name(), s, d, dl, got)
			}
			// Just before the deadline, d is not yet reached.
			if before := dl.Add(-time.Nanosecond); d > 0 && !before.Before(s) && c.Elapsed(s, before) >= d {
				t.Fatalf("calendar %d %s: %v already elapsed at %v, before the deadline %v", i, name(), d, before, dl)
			}
		}
	}
}
