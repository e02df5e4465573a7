package sla

import (
	"math"
	"time"
)

// Deadline returns the instant at which d of open time has elapsed since
// start: the SLA due time of a clock started at start with a budget of d.
//
//   - A start outside the windows (before opening, in a gap between windows,
//     after closing, on a closed day or a holiday, or exactly at a close)
//     counts from the next opening.
//   - A deadline that lands exactly on a window's close is that close, not
//     the next opening.
//   - d == 0 gives start itself when start is open, else the next opening;
//     a negative d counts as 0.
//
// The result is in start's location. Deadline returns the zero time when the
// calendar is not valid (see Validate) or when the deadline lies more than
// about ten years of calendar days after start (a calendar with hardly any
// open time); callers check with IsZero.
func (c *Calendar) Deadline(start time.Time, d time.Duration) time.Time {
	cc := c.tables()
	if cc == nil {
		return time.Time{}
	}
	start = start.Round(0) // drop any monotonic clock reading
	d = max(d, 0)
	if cc.always {
		return start.Add(d)
	}
	u := start.Unix()
	t, ok := cc.advance(u, int64(start.Nanosecond()), int64(d), localDay(cc.loc, u)+searchDays)
	if !ok {
		return time.Time{}
	}
	return t.In(start.Location())
}

// NextOpen returns the first open instant at or after t: t itself when the
// calendar is open at t. Like Deadline, it returns the zero time for an
// invalid calendar or when nothing is open within about ten years.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	return c.Deadline(t, 0)
}

// IsOpen reports whether the SLA clock runs at instant t: t is inside an
// opening window of a local day that is not a holiday (or the calendar is
// always open). It is false for an invalid calendar.
func (c *Calendar) IsOpen(t time.Time) bool {
	cc := c.tables()
	if cc == nil {
		return false
	}
	if cc.always {
		return true
	}
	u, ns := t.Unix(), int64(t.Nanosecond())
	next, ok := cc.advance(u, ns, 0, localDay(cc.loc, u)+2)
	return ok && next.Unix() == u && int64(next.Nanosecond()) == ns
}

// Elapsed returns the open time in [from, to): the time the SLA clock ran
// between the two instants. It is 0 when to is not after from, and for an
// invalid calendar. Like time.Time.Sub, it covers at most the range of a
// time.Duration (about 292 years): a later to counts as from plus that range.
func (c *Calendar) Elapsed(from, to time.Time) time.Duration {
	cc := c.tables()
	if cc == nil || !to.After(from) {
		return 0
	}
	if d := to.Sub(from); d == math.MaxInt64 {
		to = from.Add(d)
	}
	if cc.always {
		return to.Sub(from)
	}
	sec, nsec := from.Unix(), int64(from.Nanosecond())
	tsec, tnsec := to.Unix(), int64(to.Nanosecond())
	w := newWalker(cc, localDay(cc.loc, sec)-1, localDay(cc.loc, tsec)+2)
	var total int64
	for {
		if len(w.wins) == 0 { // at the end of a day
			if n, open, end := w.wholeDays(sec, nsec, math.MaxInt64, tsec); n > 0 {
				total = addSat(total, open*1e9)
				sec, nsec = end, 0
			}
		}
		o, cl, ok := w.next()
		if !ok {
			break
		}
		if cl <= sec {
			continue // wholly before the cursor
		}
		s, sn := sec, nsec
		if o > sec {
			s, sn = o, 0
		}
		if s >= cl {
			sec, nsec = cl, 0 // empty interval (see walker)
			continue
		}
		if s > tsec || (s == tsec && sn >= tnsec) {
			break // starts at or after to
		}
		if tsec < cl {
			total = addSat(total, (tsec-s)*1e9+tnsec-sn)
			break
		}
		total = addSat(total, (cl-s)*1e9-sn)
		sec, nsec = cl, 0
	}
	return time.Duration(total)
}

// IsHoliday reports whether the local day of t (in the calendar's zone) is a
// holiday, from the explicit dates or the rules. It is false for an always
// open calendar, which ignores holidays, and for an invalid one.
func (c *Calendar) IsHoliday(t time.Time) bool {
	cc := c.tables()
	if cc == nil || cc.always {
		return false
	}
	return cc.isHoliday(localDay(cc.loc, t.Unix()))
}

// HolidaysIn lists the holidays of a year as sorted "YYYY-MM-DD" dates, from
// the explicit dates and the rules, for previews in the admin UI. It is nil
// for an always open calendar and for an invalid one.
func (c *Calendar) HolidaysIn(year int) []string {
	cc := c.tables()
	if cc == nil || cc.always || !cc.hasHolidays {
		return nil
	}
	s := cc.holidaysOf(int64(year))
	var out []string
	for day := s.first; day < s.end; day++ {
		if s.has(day) {
			out = append(out, formatDay(day))
		}
	}
	return out
}

// advance returns the instant at which rem nanoseconds of open time have
// elapsed since the instant (sec, nsec), walking local days up to endDay
// (excluded); ok is false if the walk ends first. Interval bounds are whole
// seconds, so comparing one with the cursor only needs the cursor's seconds.
func (cc *compiled) advance(sec, nsec, rem, endDay int64) (t time.Time, ok bool) {
	if !cc.anyOpen {
		return time.Time{}, false
	}
	w := newWalker(cc, localDay(cc.loc, sec)-1, endDay)
	for {
		if len(w.wins) == 0 { // at the end of a day
			if n, open, end := w.wholeDays(sec, nsec, rem, math.MaxInt64); n > 0 {
				rem -= open * 1e9
				sec, nsec = end, 0
			}
		}
		o, cl, ok := w.next()
		if !ok {
			return time.Time{}, false
		}
		if cl <= sec {
			continue // wholly before the cursor
		}
		s, sn := sec, nsec
		if o > sec {
			s, sn = o, 0
		}
		if s >= cl {
			sec, nsec = cl, 0 // empty interval (see walker)
			continue
		}
		avail := (cl-s)*1e9 - sn
		if rem <= avail {
			return time.Unix(s, sn+rem), true
		}
		rem -= avail
		sec, nsec = cl, 0
	}
}

// addSat adds two non-negative durations in nanoseconds, saturating.
func addSat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
