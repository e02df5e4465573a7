package plan

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

var now = time.Date(2026, 12, 21, 10, 0, 0, 0, time.UTC)

func ticket(id int64, rank int, env opsdesk.EnvKind, left, target time.Duration, tier string, age time.Duration) Item {
	return Item{Kind: KindTicket, ID: id, Created: now.Add(-age), Level: opsdesk.LevelN1,
		Ticket: &TicketFacts{SeverityRank: rank, Env: env, HasSLA: target > 0, SLALeft: left, SLATarget: target, Tier: tier}}
}

func task(id int64, p opsdesk.ProjectPriority, agreed bool, due time.Time, leftHours int64, age time.Duration) Item {
	return Item{Kind: KindTask, ID: id, Created: now.Add(-age), Level: opsdesk.LevelN2,
		Task: &TaskFacts{Priority: p, Agreed: agreed, Due: due, LeftHours: leftHours}}
}

func TestScoreTerms(t *testing.T) {
	w := DefaultWeights()
	tests := []struct {
		name  string
		item  Item
		score int64
		terms []Term
	}{
		{"breached blocking prod", ticket(1, 1, "prod", -time.Hour, 4*time.Hour, "critical", 49*time.Hour), 400 + 600 + 10000 + 100 + 2,
			[]Term{
				{"severity_env", "1×prod", 100, 400, "plan.reason.severity_prod"},
				{"sla", "100%", 100, 600, "plan.reason.sla_breached"},
				{"blocking_prod_at_risk", "1×prod", 1, 10000, "plan.reason.blocking_prod_at_risk"},
				{"tier", "critical", 1, 100, "plan.reason.tier_critical"},
				{"age", "2d", 1, 2, "plan.reason.age"},
			}},
		{"minor test ticket half used", ticket(2, 4, "test", 2*time.Hour, 4*time.Hour, "", 0), 15 + 30,
			[]Term{
				{"severity_env", "4×test", 30, 15, "plan.reason.severity_test"},
				{"sla", "50%", 30, 30, "plan.reason.sla_running"},
				{"tier", "standard", 1, 0, "plan.reason.tier_standard"},
				{"age", "0d", 1, 0, "plan.reason.age"},
			}},
		{"near SLA on preprod, no blocking bonus", ticket(3, 1, "preprod", 30*time.Minute, 4*time.Hour, "premium", 0), 240 + 240 + 50 + 0, nil},
		{"no environment, no SLA, old", ticket(4, 3, "", 0, 0, "standard", 400*24*time.Hour), 60 + 0 + 60, nil},
		{"critical agreed task due tomorrow", task(5, "critical", true, now.Add(24*time.Hour), 12, 0), 300 + 400,
			[]Term{
				{"project_priority", "critical", 100, 300, "plan.reason.priority_agreed"},
				{"deadline", "12h", 1, 400, "plan.reason.deadline_soon"},
				{"age", "0d", 1, 0, "plan.reason.age"},
			}},
		{"unagreed high task overdue", task(6, "high", false, now.Add(-time.Hour), 0, 0), 75 + 500, nil},
		{"task far off", task(7, "normal", true, now.Add(30*24*time.Hour), 160, 0), 60, nil},
		{"task without deadline", task(8, "low", true, time.Time{}, 0, 0), 20, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.item.Validate(); err != nil {
				t.Fatal(err)
			}
			s, terms := Score(&tc.item, &w, now)
			if s != tc.score {
				t.Errorf("score = %d, want %d (terms %+v)", s, tc.score, terms)
			}
			var sum int64
			for _, x := range terms {
				sum += x.Contribution
			}
			if sum != s {
				t.Errorf("terms sum to %d, score is %d", sum, s)
			}
			if tc.terms != nil && !slices.Equal(terms, tc.terms) {
				t.Errorf("terms =\n%+v\nwant\n%+v", terms, tc.terms)
			}
		})
	}
}

// The orderings DefaultWeights promises.
func TestDefaultWeightsOrderings(t *testing.T) {
	w := DefaultWeights()
	old := 3650 * 24 * time.Hour
	score := func(it Item) int64 { s, _ := Score(&it, &w, now); return s }
	nearBlocking := score(ticket(1, 1, "prod", 40*time.Minute, 4*time.Hour, "standard", 0))
	for name, other := range map[string]Item{
		"breached sev 2 prod critical old": ticket(2, 2, "prod", -time.Hour, time.Hour, "critical", old),
		"blocking prod running SLA":        ticket(3, 1, "prod", 3*time.Hour, 4*time.Hour, "critical", old),
		"breached blocking preprod":        ticket(4, 1, "preprod", -time.Hour, time.Hour, "critical", old),
		"overdue critical agreed task":     task(5, "critical", true, now.Add(-time.Hour), -5, old),
	} {
		if s := score(other); s >= nearBlocking {
			t.Errorf("%s scores %d, not below a near-breach blocking prod ticket (%d)", name, s, nearBlocking)
		}
	}
	milestone := score(task(6, "critical", true, now.Add(24*time.Hour), 16, 0))
	minor := score(ticket(7, 4, "test", -time.Hour, time.Hour, "premium", old))
	if milestone <= minor {
		t.Errorf("critical agreed milestone due tomorrow %d <= minor test ticket %d", milestone, minor)
	}
	if d := score(ticket(8, 3, "prod", 0, 0, "", 30*24*time.Hour)) - score(ticket(9, 3, "prod", 0, 0, "", 0)); d != 30 {
		t.Errorf("30 days of age add %d points, want 30", d)
	}
}

// Over random items, every at-risk blocking prod ticket ranks above every
// other item.
func TestBlockingProdAlwaysFirst(t *testing.T) {
	w := DefaultWeights()
	rng := rand.New(rand.NewPCG(1, 2))
	items := randomItems(rng, 2000)
	rows, err := Rank(items, nil, &w, now)
	if err != nil {
		t.Fatal(err)
	}
	seenOther := false
	for _, r := range rows {
		atRisk := slices.ContainsFunc(r.Terms, func(x Term) bool { return x.Name == "blocking_prod_at_risk" })
		if atRisk && seenOther {
			t.Fatalf("at-risk blocking prod %d ranked %d after another item", r.Item.ID, r.Rank)
		}
		seenOther = seenOther || !atRisk
	}
}

func randomItems(rng *rand.Rand, n int) []Item {
	envs := []opsdesk.EnvKind{"", "test", "preprod", "prod"}
	tiers := []string{"", "standard", "premium", "critical"}
	items := make([]Item, n)
	for i := range items {
		age := time.Duration(rng.IntN(400*24)) * time.Hour
		if rng.IntN(3) == 0 {
			due := now.Add(time.Duration(rng.IntN(2000)-200) * time.Hour)
			items[i] = task(int64(i+1), opsdesk.ProjectPriorities[rng.IntN(4)], rng.IntN(2) == 0, due, int64(rng.IntN(300)-20), age)
			items[i].Task.RemainingMinutes = int64(rng.IntN(2000))
		} else {
			target := time.Duration(1+rng.IntN(48)) * time.Hour
			left := target - time.Duration(rng.IntN(int(2*target/time.Minute)))*time.Minute
			items[i] = ticket(int64(i+1), 1+rng.IntN(5), envs[rng.IntN(4)], left, target, tiers[rng.IntN(4)], age)
			items[i].Level = opsdesk.Levels[rng.IntN(3)]
		}
		items[i].Assignee = int64(rng.IntN(30))
		items[i].Customer = int64(1 + rng.IntN(50))
	}
	return items
}

func TestItemValidate(t *testing.T) {
	tests := []struct {
		field string
		item  Item
	}{
		{"id", Item{Kind: KindTicket, Ticket: &TicketFacts{SeverityRank: 1}}},
		{"kind", Item{Kind: "bug", ID: 1}},
		{"kind", Item{Kind: KindTicket, ID: 1, Task: &TaskFacts{Priority: "low"}}},
		{"severity", Item{Kind: KindTicket, ID: 1, Ticket: &TicketFacts{SeverityRank: 6}}},
		{"environment", Item{Kind: KindTicket, ID: 1, Ticket: &TicketFacts{SeverityRank: 1, Env: "dev"}}},
		{"sla_target", Item{Kind: KindTicket, ID: 1, Ticket: &TicketFacts{SeverityRank: 1, HasSLA: true}}},
		{"tier", Item{Kind: KindTicket, ID: 1, Ticket: &TicketFacts{SeverityRank: 1, Tier: "gold"}}},
		{"level", Item{Kind: KindTicket, ID: 1, Level: "N4", Ticket: &TicketFacts{SeverityRank: 1}}},
		{"priority", Item{Kind: KindTask, ID: 1, Task: &TaskFacts{Priority: "urgent"}}},
		{"estimate", Item{Kind: KindTask, ID: 1, Task: &TaskFacts{Priority: "low", RemainingMinutes: -1}}},
	}
	for _, tc := range tests {
		err := tc.item.Validate()
		var e *opsdesk.Error
		if !errors.As(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != tc.field {
			t.Errorf("%+v: error %v, want invalid %q", tc.item, err, tc.field)
		}
	}
}
