package sla

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchStarts returns n instants spread over 2026, at random times of day
// (inside and outside the windows, on weekends and holidays).
func benchStarts(n int) []time.Time {
	r := rand.New(rand.NewPCG(1, 2))
	paris, _ := time.LoadLocation("Europe/Paris")
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, paris)
	starts := make([]time.Time, n)
	for i := range starts {
		starts[i] = first.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
	}
	return starts
}

// BenchmarkDeadline computes deadlines on the French calendar (split days,
// eleven public holidays a year) from starts spread over a year: 4 hours, 2
// business days (15 open hours), and a business year (52 weeks of 37.5 open
// hours: the walk crosses every day and every holiday of a year).
func BenchmarkDeadline(b *testing.B) {
	c := FrenchCalendar()
	starts := benchStarts(1024)
	for _, bc := range []struct {
		name string
		d    time.Duration
	}{
		{"4h", 4 * time.Hour},
		{"2days", 15 * time.Hour},
		{"year", 52 * (37*time.Hour + 30*time.Minute)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if c.Deadline(starts[i&1023], bc.d).IsZero() {
					b.Fatal("zero deadline")
				}
				i++
			}
		})
	}
}

// BenchmarkElapsed measures the open time of one week and of one month on the
// French calendar, from starts spread over a year.
func BenchmarkElapsed(b *testing.B) {
	c := FrenchCalendar()
	starts := benchStarts(1024)
	for _, bc := range []struct {
		name string
		span time.Duration
	}{
		{"week", 7 * 24 * time.Hour},
		{"month", 30 * 24 * time.Hour},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				s := starts[i&1023]
				if c.Elapsed(s, s.Add(bc.span)) == 0 {
					b.Fatal("no open time")
				}
				i++
			}
		})
	}
}

// BenchmarkIsOpen measures the open test on the French calendar.
func BenchmarkIsOpen(b *testing.B) {
	c := FrenchCalendar()
	starts := benchStarts(1024)
	i := 0
	for b.Loop() {
		c.IsOpen(starts[i&1023])
		i++
	}
}
