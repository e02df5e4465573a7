package sla

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync/atomic"
	"time"
)

// span is a compiled window: seconds since local midnight, open < close <=
// 86400.
type span struct {
	open, close int32
}

// Years whose holiday sets are cached; other years are computed on each use.
const (
	cacheFirstYear = 1970
	cacheYears     = 256
)

// compiled is the lookup form of a valid Calendar.
type compiled struct {
	invalid bool // the calendar did not validate; nothing else is set
	loc     *time.Location
	always  bool
	week    [7][]span // by time.Weekday, sorted, not overlapping
	dayOpen [7]int64  // by time.Weekday: the seconds its windows last on the wall clock
	anyOpen bool      // some weekday has a window

	hasHolidays bool
	explicit    map[int64][]int64 // year -> day numbers of its explicit holidays
	rules       []rule
	years       [cacheYears]atomic.Pointer[yearSet]
}

// yearSet is the set of holidays of one year, one bit per day.
type yearSet struct {
	first, end int64 // day numbers of Jan 1 and of the next Jan 1
	bits       [6]uint64
}

func (s *yearSet) set(day int64) {
	if day >= s.first && day < s.end {
		i := day - s.first
		s.bits[i>>6] |= 1 << (i & 63)
	}
}

func (s *yearSet) has(day int64) bool {
	if day < s.first || day >= s.end {
		return false // only for days past the range of int64 arithmetic
	}
	i := day - s.first
	return s.bits[i>>6]&(1<<(i&63)) != 0
}

// compile checks the fields of c and builds their lookup form. It returns all
// problems found, as joined *FieldError values.
func compile(c *Calendar) (*compiled, error) {
	var errs []error
	fail := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	cc := &compiled{always: c.AlwaysOpen}

	loc, err := loadZone(c.Timezone)
	if err != nil {
		fail("timezone", "%v", err)
	}
	cc.loc = loc

	keys := make([]string, 0, len(c.Hours))
	for k := range c.Hours {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	windows := 0
	for _, key := range keys {
		wd, ok := weekdayOf[key]
		if !ok {
			fail("hours."+key, "unknown weekday key: want mon, tue, wed, thu, fri, sat or sun")
			continue
		}
		spans := make([]span, 0, len(c.Hours[key]))
		for i, w := range c.Hours[key] {
			windows++
			field := fmt.Sprintf("hours.%s[%d]", key, i)
			o, err1 := parseClock(w.Open, false)
			if err1 != nil {
				fail(field, "open: %v", err1)
			}
			cl, err2 := parseClock(w.Close, true)
			if err2 != nil {
				fail(field, "close: %v", err2)
			}
			if err1 != nil || err2 != nil {
				continue
			}
			if cl <= o {
				fail(field, "close %s is not after open %s", w.Close, w.Open)
				continue
			}
			spans = append(spans, span{o, cl})
		}
		slices.SortFunc(spans, func(a, b span) int { return int(a.open - b.open) })
		for i := 1; i < len(spans); i++ {
			if spans[i].open < spans[i-1].close {
				fail("hours."+key, "windows %s-%s and %s-%s overlap",
					formatClock(spans[i-1].open), formatClock(spans[i-1].close),
					formatClock(spans[i].open), formatClock(spans[i].close))
			}
		}
		cc.week[wd] = spans
		for _, sp := range spans {
			cc.dayOpen[wd] += int64(sp.close - sp.open)
		}
		cc.anyOpen = cc.anyOpen || len(spans) > 0
	}
	if !c.AlwaysOpen && windows == 0 {
		fail("hours", "no opening window on any day: add a window or set always_open")
	}

	cc.explicit = make(map[int64][]int64)
	for i, h := range c.Holidays {
		day, err := parseDate(h)
		if err != nil {
			fail(fmt.Sprintf("holidays[%d]", i), "%v", err)
			continue
		}
		y, _, _ := civilFromDays(day)
		cc.explicit[y] = append(cc.explicit[y], day)
	}
	for i, s := range c.HolidayRules {
		r, err := parseRule(s)
		if err != nil {
			fail(fmt.Sprintf("holiday_rules[%d]", i), "%v", err)
			continue
		}
		cc.rules = append(cc.rules, r)
	}
	cc.hasHolidays = len(cc.explicit) > 0 || len(cc.rules) > 0

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return cc, nil
}

// formatClock writes seconds since midnight as "HH:MM".
func formatClock(s int32) string {
	return fmt.Sprintf("%02d:%02d", s/3600, s%3600/60)
}

// holidaysOf returns the holiday set of year y, computing and caching it on
// first use. Safe for concurrent use.
func (cc *compiled) holidaysOf(y int64) *yearSet {
	i := y - cacheFirstYear
	if i < 0 || i >= cacheYears {
		return cc.buildYear(y)
	}
	if s := cc.years[i].Load(); s != nil {
		return s
	}
	s := cc.buildYear(y)
	if !cc.years[i].CompareAndSwap(nil, s) {
		s = cc.years[i].Load()
	}
	return s
}

// buildYear computes the holiday set of year y from the explicit dates and
// the rules.
func (cc *compiled) buildYear(y int64) *yearSet {
	s := &yearSet{first: daysFromCivil(y, 1, 1), end: daysFromCivil(y+1, 1, 1)}
	for _, day := range cc.explicit[y] {
		s.set(day)
	}
	for _, r := range cc.rules {
		switch r.kind {
		case ruleFixed:
			if r.day <= daysIn(int(y), r.month) {
				s.set(daysFromCivil(y, int64(r.month), int64(r.day)))
			}
		case ruleEaster:
			// An offset of up to a year can move the date into the next or
			// the previous year.
			for ey := y - 1; ey <= y+1; ey++ {
				if ey < 1 {
					continue
				}
				m, d := easterSunday(int(ey))
				s.set(daysFromCivil(ey, int64(m), int64(d)) + int64(r.offset))
			}
		}
	}
	return s
}

// isHoliday reports whether local day number day is a holiday.
func (cc *compiled) isHoliday(day int64) bool {
	if !cc.hasHolidays {
		return false
	}
	y, _, _ := civilFromDays(day)
	return cc.holidaysOf(y).has(day)
}
