package sla

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// weekdayKeys lists the keys of Calendar.Hours in the order used by the JSON
// form, Monday first.
var weekdayKeys = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// weekdayOf maps a key of Calendar.Hours to its time.Weekday.
var weekdayOf = map[string]time.Weekday{
	"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
	"sun": time.Sunday,
}

const secondsPerDay = 86400

// maxEasterOffset bounds N in "easter_offset:N".
const maxEasterOffset = 365

// parseClock reads "HH:MM" into seconds since midnight. "24:00" is accepted
// only when allow24 is set (as a close).
func parseClock(s string, allow24 bool) (int32, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("bad time %q: want HH:MM", s)
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	switch {
	case h == 24 && m == 0 && allow24:
		return secondsPerDay, nil
	case h == 24 && m == 0:
		return 0, fmt.Errorf("bad time %q: 24:00 is only allowed as a close", s)
	case h > 23 || m > 59:
		return 0, fmt.Errorf("bad time %q: want HH:MM between 00:00 and 23:59 (or 24:00 as a close)", s)
	}
	return int32(h*3600 + m*60), nil
}

// parseDate reads a "YYYY-MM-DD" date into a day number (days since
// 1970-01-01).
func parseDate(s string) (int64, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != len(time.DateOnly) {
		return 0, fmt.Errorf("bad date %q: want an existing date as YYYY-MM-DD", s)
	}
	return daysFromCivil(int64(d.Year()), int64(d.Month()), int64(d.Day())), nil
}

// ruleKind tells fixed-date rules from Easter-based ones.
type ruleKind uint8

const (
	ruleFixed ruleKind = iota
	ruleEaster
)

// rule is a compiled holiday rule.
type rule struct {
	kind   ruleKind
	month  int // ruleFixed
	day    int // ruleFixed
	offset int // ruleEaster: days after Easter Sunday
}

// easterRules maps the named Easter-based rules to their offset from Easter
// Sunday.
var easterRules = map[string]int{
	"good_friday":   -2,
	"easter_monday": 1,
	"ascension":     39,
	"whit_monday":   50,
}

// parseRule reads one entry of Calendar.HolidayRules.
func parseRule(s string) (rule, error) {
	if off, ok := easterRules[s]; ok {
		return rule{kind: ruleEaster, offset: off}, nil
	}
	if rest, ok := strings.CutPrefix(s, "fixed:"); ok {
		if len(rest) != 5 || rest[2] != '-' || !isDigits(rest[:2]) || !isDigits(rest[3:]) {
			return rule{}, fmt.Errorf("bad rule %q: want fixed:MM-DD", s)
		}
		m, _ := strconv.Atoi(rest[:2])
		d, _ := strconv.Atoi(rest[3:])
		// 2000 is a leap year, so "fixed:02-29" is accepted (it applies to
		// leap years only).
		if m < 1 || m > 12 || d < 1 || d > daysIn(2000, m) {
			return rule{}, fmt.Errorf("bad rule %q: no such day of the year", s)
		}
		return rule{kind: ruleFixed, month: m, day: d}, nil
	}
	if rest, ok := strings.CutPrefix(s, "easter_offset:"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n < -maxEasterOffset || n > maxEasterOffset {
			return rule{}, fmt.Errorf("bad rule %q: want easter_offset:N with N a whole number of days between %d and %d",
				s, -maxEasterOffset, maxEasterOffset)
		}
		return rule{kind: ruleEaster, offset: n}, nil
	}
	return rule{}, fmt.Errorf("unknown rule %q: want fixed:MM-DD, easter_monday, good_friday, ascension, whit_monday or easter_offset:N", s)
}

// loadZone loads an IANA zone, refusing the empty name and "Local", whose
// meaning depends on the machine.
func loadZone(name string) (*time.Location, error) {
	switch name {
	case "":
		return nil, fmt.Errorf("missing: want an IANA time zone such as %q or %q", "Europe/Paris", "UTC")
	case "Local":
		return nil, fmt.Errorf("%q depends on the server: want an IANA time zone such as %q", name, "Europe/Paris")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: want an IANA name such as %q", name, "Europe/Paris")
	}
	return loc, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
