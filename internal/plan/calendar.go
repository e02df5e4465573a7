package plan

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/sla"
)

// Calendar gives the business time of local days, as the caller's business
// calendar sees them. Minutes is the open time of the day that starts at
// the given local midnight (0 on closed days and holidays); Standard is the
// open time of each weekday in a week without holidays, the reference a
// weekly capacity is defined against.
type Calendar struct {
	Location *time.Location
	Minutes  func(day time.Time) int64
	Standard [7]int64 // indexed by time.Weekday
}

// FromSLA builds the plan calendar of an SLA business calendar: a day's
// minutes are its open time (holidays count 0), and the standard week sums
// each weekday's windows.
func FromSLA(c *sla.Calendar) (Calendar, error) {
	if err := c.Validate(); err != nil {
		return Calendar{}, fmt.Errorf("plan: calendar: %w", err)
	}
	pc := Calendar{Location: c.Location()}
	pc.Minutes = func(day time.Time) int64 {
		return int64(c.Elapsed(day, day.AddDate(0, 0, 1)) / time.Minute)
	}
	keys := [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
	for wd, k := range keys {
		if c.AlwaysOpen {
			pc.Standard[wd] = 24 * 60
			continue
		}
		for _, w := range c.Hours[k] {
			pc.Standard[wd] += clockMinutes(w.Close) - clockMinutes(w.Open)
		}
	}
	return pc, nil
}

// clockMinutes reads a validated "HH:MM".
func clockMinutes(s string) int64 {
	var h, m int64
	fmt.Sscanf(s, "%d:%d", &h, &m)
	return h*60 + m
}
