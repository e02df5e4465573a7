package sla

import (
	"sync/atomic"
	"time"
)

// Calendar describes when the SLA clock runs: opening windows per weekday in
// an IANA time zone, minus holidays, or around the clock when AlwaysOpen is
// set. Its JSON form (ParseCalendar, MarshalJSON) is the export/import format
// of the admin UI, API and CLI; docs/sla.md describes it.
//
// The fields are plain data checked by Validate. The first call to Deadline,
// Elapsed, IsOpen, NextOpen, IsHoliday, HolidaysIn or Location compiles them
// into lookup tables; after that the Calendar must not be modified (build a
// new one), and it is safe for concurrent use. A Calendar must not be copied
// once used (go vet reports copies).
type Calendar struct {
	// Name is an optional label shown to admins; it has no effect on the
	// arithmetic.
	Name string
	// Timezone is the IANA name of the zone in which windows and holidays are
	// read, such as "Europe/Paris" or "UTC". Required.
	Timezone string
	// Hours maps a weekday key ("mon", "tue", "wed", "thu", "fri", "sat",
	// "sun") to that day's opening windows. A missing key or an empty list
	// is a closed day.
	Hours map[string][]Window
	// Holidays lists closed local dates, as "YYYY-MM-DD".
	Holidays []string
	// HolidayRules lists holidays that repeat every year: "fixed:MM-DD",
	// "easter_monday", "good_friday", "ascension", "whit_monday" and
	// "easter_offset:N" (N days after Easter Sunday, -365 <= N <= 365).
	HolidayRules []string
	// AlwaysOpen makes every instant open time (24/7); Hours, Holidays and
	// HolidayRules are then ignored, though still checked by Validate.
	AlwaysOpen bool

	compiled atomic.Pointer[compiled]
}

// Window is one opening period of a day, in local wall-clock time "HH:MM".
// It is half-open: Open is inside, Close is not. Close may be "24:00", the
// following midnight. In JSON a window is the pair ["HH:MM", "HH:MM"].
type Window struct {
	Open  string
	Close string
}

// FieldError reports one invalid field of a calendar. Validate and
// ParseCalendar return one or more of them (joined with errors.Join); use
// errors.As to get at the first.
type FieldError struct {
	// Field is the JSON path of the offending value, such as "timezone",
	// "hours.mon[1]", "holidays[0]" or "holiday_rules[2]"; empty when the
	// document as a whole is wrong.
	Field string
	// Msg says what is wrong, in words fit for an admin.
	Msg string
}

// Error formats the error as "calendar: FIELD: MSG".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return "calendar: " + e.Msg
	}
	return "calendar: " + e.Field + ": " + e.Msg
}

// Validate checks every field and returns nil, or the list of problems as
// *FieldError values joined with errors.Join: unknown time zone, bad time
// ("25:00"), window closing at or before its opening, overlapping windows,
// unknown weekday key, unknown holiday rule, bad date, and a calendar that is
// not always open but has no window at all. It never panics.
//
// Validate reads the current fields; it does not use or refresh the tables
// compiled by a previous use of the calendar.
func (c *Calendar) Validate() error {
	_, err := compile(c)
	return err
}

// Location returns the calendar's time zone, or nil if the calendar is not
// valid.
func (c *Calendar) Location() *time.Location {
	cc := c.tables()
	if cc == nil {
		return nil
	}
	return cc.loc
}

// tables returns the compiled form of c, compiling it on first use, or nil if
// c is not valid. Concurrent first uses may compile twice; one result wins.
func (c *Calendar) tables() *compiled {
	if cc := c.compiled.Load(); cc != nil {
		if cc.invalid {
			return nil
		}
		return cc
	}
	cc, err := compile(c)
	if err != nil {
		cc = &compiled{invalid: true}
	}
	if !c.compiled.CompareAndSwap(nil, cc) {
		cc = c.compiled.Load()
	}
	if cc.invalid {
		return nil
	}
	return cc
}
