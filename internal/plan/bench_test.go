package plan

import (
	"math/rand/v2"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// BenchmarkPlan is the whole plan over 10,000 open items (two thirds
// tickets, one third tasks), 30 agents and 20 overrides: scoring, ranking,
// one filter and the 8-week capacity plan. The database read is separate.
func BenchmarkPlan(b *testing.B) {
	cal, err := FromSLA(sla.FrenchCalendar())
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	items := randomItems(rng, 10000)
	var agents []Agent
	for i := range 30 {
		a := Agent{ID: int64(i), Level: opsdesk.Levels[i%3], WeeklyMinutes: 35 * 60, Percent: int64(50 + 50*(i%2))}
		if i%5 == 0 {
			a.Absences = []Absence{{now.AddDate(0, 0, 10), now.AddDate(0, 0, 20)}}
		}
		agents = append(agents, a)
	}
	agents[0].ID = 30 // IDs 1..30
	var overrides []Override
	for i := range 20 {
		o := Override{Kind: items[i*100].Kind, ID: items[i*100].ID, Reason: "bench"}
		if i%2 == 0 {
			o.Pin = true
		} else {
			o.Position = 1 + i*7
		}
		overrides = append(overrides, o)
	}
	handling := map[HandlingKey]int64{}
	for r := 1; r <= 5; r++ {
		for _, l := range opsdesk.Levels {
			handling[HandlingKey{r, l}] = int64(30 * r)
		}
	}
	w := DefaultWeights()
	b.ResetTimer()
	for b.Loop() {
		rows, err := Rank(items, overrides, &w, now)
		if err != nil {
			b.Fatal(err)
		}
		if len(Filter{Level: "N2"}.Apply(rows)) == 0 {
			b.Fatal("empty filter")
		}
		if _, err := Capacity(CapacityInput{Now: now, Calendar: cal, Agents: agents, Items: items, Handling: handling}); err != nil {
			b.Fatal(err)
		}
	}
}
