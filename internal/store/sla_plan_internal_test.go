package store

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/sla"
)

// TestPlanWithoutUntimedClocks checks that a recompute, which does not count the time of clocks
// without target, stores the same clocks and digest as a full evaluation, on random timelines
// — also at the very instant of a change — and that the full one counts what sla.Evaluate does.
func TestPlanWithoutUntimedClocks(t *testing.T) {
	cal := sla.FrenchCalendar()
	opt, _ := SLAOptions{}.withDefaults()
	rng := rand.New(rand.NewPCG(5, 8))
	start := time.Date(2027, 3, 1, 7, 0, 0, 0, time.UTC)
	statuses := []string{"open", "waiting_customer", "open", "resolved", "open", "resolved", "closed"}
	for n := range 500 {
		day := []time.Duration{0, 7*time.Hour + 30*time.Minute}[rng.IntN(2)]
		terms := &slaTerms{calendar: cal, day: day, targets: sla.DefaultTargets(7*time.Hour + 30*time.Minute)}
		tk := &slaTicket{id: 1, severity: []string{"blocking", "minor", "question", "evolution", "unknown"}[rng.IntN(5)],
			envKind: []string{"", "prod"}[rng.IntN(2)], received: start.Add(time.Duration(rng.IntN(3*24*60)) * time.Minute)}
		cur := tk.received
		for i, s := range statuses[:rng.IntN(len(statuses)+1)] {
			cur = cur.Add(time.Duration(rng.IntN(20*60)) * time.Minute)
			tk.changes = append(tk.changes, sla.StatusChange{At: cur, Status: s})
			if i == 0 {
				tk.takenAt = cur
			}
		}
		if rng.IntN(3) == 0 && len(tk.changes) > 0 {
			tk.workaroundAt = tk.changes[0].At.Add(time.Duration(rng.IntN(600)) * time.Minute)
		}
		now := cur.Add(time.Duration(rng.IntN(48*60)) * time.Minute)
		if rng.IntN(4) == 0 {
			now = cur // at the instant of the last change
		}
		var full, fast slaPlan
		planClocks(&full, tk, terms, now, opt, true)
		planClocks(&fast, tk, terms, now, opt, false)
		if full.digest != fast.digest || !full.next.Equal(fast.next) {
			t.Fatalf("case %d: digests %x / %x, next %v / %v", n, full.digest, fast.digest, full.next, fast.next)
		}
		for i := range full.rows {
			if !full.rows[i].sameAs(&fast.rows[i]) || full.rows[i].elapsed != fast.rows[i].elapsed {
				t.Fatalf("case %d %s: full %+v, fast %+v", n, full.rows[i].clock, full.rows[i], fast.rows[i])
			}
			want := sla.Evaluate(cal, sla.ClockKinds[i], full.target.For(sla.ClockKinds[i]), tk.timeline(opt), now, opt.Warn)
			if got := full.clocks[i]; got.Elapsed != want.Elapsed || got.Paused != want.Paused || got.State != want.State {
				t.Fatalf("case %d %s: live clock %+v, sla.Evaluate %+v", n, got.Kind, got, want)
			}
		}
	}
}
