package sla

import (
	"math"
	"time"
)

// Local wall-clock times are handled as "wall seconds": the Unix time the
// wall clock would show if the zone were UTC (day number × 86400 + seconds
// since midnight). instant turns them into real Unix seconds.

const (
	// maxOffset bounds the UTC offsets in use (−12 h … +14 h, plus margin
	// for local mean times); candidate instants of a wall time lie within
	// maxOffset of it.
	maxOffset = 15 * 3600
	// maxShift bounds the change of offset at one transition (Samoa's 2011
	// change of date was 24 h).
	maxShift = 26 * 3600
)

// offsetAt returns the UTC offset, in seconds, in force at Unix time u.
func offsetAt(loc *time.Location, u int64) int64 {
	_, off := time.Unix(u, 0).In(loc).Zone()
	return int64(off)
}

// resolve returns the Unix time of wall time w in loc, by the rules of the
// reference cases: a wall time that occurs twice is its first occurrence, and
// one that does not exist (a spring-forward gap) is read with the offset in
// force before the change, so it moves forward by the length of the gap.
//
// Both rules come to the same computation: take the earliest candidate
// instant (w minus the largest offset around) and read w with the offset in
// force at that instant. (The standard library's time.Date picks the second
// occurrence of an ambiguous time, so it is not used here.)
func resolve(loc *time.Location, w int64) int64 {
	o := max(offsetAt(loc, w-maxOffset), offsetAt(loc, w+maxOffset))
	return w - offsetAt(loc, w-o)
}

// zoneCache speeds up resolve for the run of wall times met by one walk: it
// remembers the offset of the zone period last used, and the range of
// instants for which that offset gives the answer directly.
type zoneCache struct {
	loc    *time.Location
	off    int64
	lo, hi int64 // w-off in [lo, hi) is the one and only reading of w
	ok     bool
}

// instant returns the Unix time of wall time w (see resolve).
func (z *zoneCache) instant(w int64) int64 {
	if z.ok {
		if u := w - z.off; u >= z.lo && u < z.hi {
			return u
		}
	}
	u := resolve(z.loc, w)
	t := time.Unix(u, 0).In(z.loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	z.off = int64(off)
	// Within the period, an instant is a valid reading with off; it is the
	// first occurrence unless an earlier period with a larger offset could
	// also read it, which needs it to be within maxShift of the start.
	z.lo, z.hi = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		z.lo = start.Unix() + maxShift
	}
	if !end.IsZero() {
		z.hi = end.Unix()
	}
	z.ok = true
	return u
}

// localDay returns the local day number of Unix time u in loc.
func localDay(loc *time.Location, u int64) int64 {
	return floorDiv(u+offsetAt(loc, u), secondsPerDay)
}
