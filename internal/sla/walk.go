package sla

// searchDays bounds every walk: Deadline and NextOpen give up (and return the
// zero time) when the answer is not found within this many local days
// (about ten years) of the start.
const searchDays = 3653

// walker lists the open intervals of a calendar day by day, in Unix seconds,
// in the order of the days and of the windows within a day.
//
// On DST change days the instants of consecutive windows can overlap, or a
// window whose open is in a spring-forward gap can end before it starts; the
// callers therefore keep a cursor that never moves back, and count only the
// part of each interval after it. The open time of the calendar is thus the
// union of [max(open_i, close_1..close_(i-1)), close_i) over the intervals in
// walk order, whatever the instant a walk starts from.
type walker struct {
	cc   *compiled
	day  int64 // local day number whose windows are being listed
	end  int64 // first day number not to list
	wins []span
	zone zoneCache
	year *yearSet // holidays of the year of day, when the calendar has any
}

// newWalker starts a walk over local days first … end-1.
func newWalker(cc *compiled, first, end int64) walker {
	return walker{cc: cc, day: first - 1, end: end, zone: zoneCache{loc: cc.loc}}
}

// next returns the next interval [open, end), or ok == false at the end of
// the walk.
func (w *walker) next() (open, end int64, ok bool) {
	for len(w.wins) == 0 {
		w.day++
		if w.day >= w.end {
			return 0, 0, false
		}
		w.wins = w.cc.week[weekdayOfDay(w.day)]
		if len(w.wins) > 0 && w.holiday(w.day) {
			w.wins = nil
		}
	}
	s := w.wins[0]
	w.wins = w.wins[1:]
	base := w.day * secondsPerDay
	return w.zone.instant(base + int64(s.open)), w.zone.instant(base + int64(s.close)), true
}

// holiday reports whether local day number day is a holiday.
func (w *walker) holiday(day int64) bool {
	if !w.cc.hasHolidays {
		return false
	}
	if w.year == nil || day >= w.year.end || day < w.year.first {
		y, _, _ := civilFromDays(day)
		w.year = w.cc.holidaysOf(y)
	}
	return w.year.has(day)
}

// wholeDays passes over the days ahead whose open time can be counted whole, without listing
// their windows, and returns how much open time they hold (seconds) and the instant the last
// ends (Unix seconds), or n == 0 if none. Days qualify while the windows of the day before are
// all listed, the cursor (sec, nsec) is not after the first one's start, the days lie in the
// zone period of the last reading (no change of offset: their windows last what the wall clock
// says), their open time stays under maxOpen (nanoseconds) and they end by maxEnd. Such a day
// costs a few nanoseconds: a deadline a year away costs a year of days, not two years of
// windows.
func (w *walker) wholeDays(sec, nsec, maxOpen, maxEnd int64) (n, open, end int64) {
	if len(w.wins) > 0 || !w.zone.ok || maxOpen <= 0 {
		return 0, 0, 0
	}
	start := (w.day+1)*secondsPerDay - w.zone.off
	if sec > start || (sec == start && nsec > 0) || start < w.zone.lo {
		return 0, 0, 0
	}
	limit := (maxOpen - 1) / 1e9 // open time, in seconds, under maxOpen nanoseconds
	for day := w.day + 1; day < w.end; day++ {
		next := start + secondsPerDay
		d := w.cc.dayOpen[weekdayOfDay(day)]
		if d > 0 && w.holiday(day) {
			d = 0
		}
		if next >= w.zone.hi || next > maxEnd || open+d > limit {
			break
		}
		n, open, end, start = n+1, open+d, next, next
	}
	w.day += n
	return n, open, end
}
