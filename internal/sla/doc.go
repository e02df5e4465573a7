// Package sla does the business-hours arithmetic behind SLA clocks: given a
// Calendar (opening windows per weekday in an IANA time zone, holidays and
// always-open mode) it computes the deadline reached after a duration of open
// time, and the open time elapsed between two instants.
//
// The package is pure: no database, no clock, no I/O. The rules it follows are
// the ones of the shared reference cases (sla-cases.md) and are described in
// docs/sla.md:
//
//   - Windows and holidays are local wall-clock times, read day by day in the
//     calendar's time zone. Windows are half-open [open, close); "24:00" as a
//     close is the following midnight. A holiday removes the whole local day.
//   - Durations are real seconds of open time: on a DST change day a
//     00:00–24:00 window lasts 23 h or 25 h.
//   - A window boundary that falls in a spring-forward gap is read with the
//     offset in force before the change (it moves forward by the gap); one
//     that occurs twice is its first occurrence.
//   - Deadline: a start outside the windows counts from the next opening; a
//     deadline that lands exactly on a close is that close; d = 0 gives the
//     start inside a window and the next opening outside.
//   - Elapsed counts the open time in [from, to), and 0 when to <= from.
//
// A Calendar is safe for concurrent use once built; it must not be modified
// after its first use by Deadline, Elapsed, IsOpen, NextOpen or the holiday
// methods (build a new one instead).
package sla
