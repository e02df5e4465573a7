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
		if len(w.wins) > 0 && w.cc.hasHolidays {
			if w.year == nil || w.day >= w.year.end || w.day < w.year.first {
				y, _, _ := civilFromDays(w.day)
				w.year = w.cc.holidaysOf(y)
			}
			if w.year.has(w.day) {
				w.wins = nil
			}
		}
	}
	s := w.wins[0]
	w.wins = w.wins[1:]
	base := w.day * secondsPerDay
	return w.zone.instant(base + int64(s.open)), w.zone.instant(base + int64(s.close)), true
}
