package plan

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func preventive(id int64, day, end time.Time, leftHours, minutes int64, agent int64) Item {
	return Item{Kind: KindPreventive, ID: id, Level: opsdesk.LevelN2, Assignee: agent, Created: now,
		Preventive: &PreventiveFacts{Kind: "audit", Day: day, End: end, LeftHours: leftHours, RemainingMinutes: minutes}}
}

func TestPreventiveScore(t *testing.T) {
	w := DefaultWeights()
	day := time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		end    time.Time
		left   int64
		score  int64
		reason string
	}{
		{"due tomorrow", day.AddDate(0, 0, 1), 14, 60 + 400, "plan.reason.deadline_soon"},
		{"due in a week", day.AddDate(0, 0, 1), 40, 60 + 200, "plan.reason.deadline_soon"},
		{"due in a month", day.AddDate(0, 0, 1), 150, 60, "plan.reason.deadline_far"},
		{"past its day, no business hours counted yet", now.Add(-time.Hour), 0, 60 + 500, "plan.reason.deadline_overdue"},
		{"negative hours left", now.Add(time.Hour), -3, 60 + 500, "plan.reason.deadline_overdue"},
	}
	for _, tc := range tests {
		it := preventive(1, day, tc.end, tc.left, 60, 0)
		score, terms := Score(&it, &w, now)
		if score != tc.score || len(terms) != 3 || terms[0].Name != "preventive" || terms[0].Value != "audit" ||
			terms[1].Name != "deadline" || terms[1].Reason != tc.reason || terms[2].Name != "age" {
			t.Errorf("%s: score %d, terms %+v; want %d with %s", tc.name, score, terms, tc.score, tc.reason)
		}
	}
}

func TestPreventiveTieBreakAfterTasks(t *testing.T) {
	items := []Item{
		preventive(1, now, now.Add(time.Hour), 100, 0, 0), // 60 + 0
		task(1, "normal", true, time.Time{}, 0, 0),        // 60
		ticket(1, 3, "", 0, 0, "standard", 0),             // 120 × 50 % = 60
	}
	w := DefaultWeights()
	rows, err := Rank(items, nil, &w, now)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []Kind
	for _, r := range rows {
		kinds = append(kinds, r.Item.Kind)
	}
	if want := []Kind{KindTicket, KindTask, KindPreventive}; !slices.Equal(kinds, want) {
		t.Fatalf("order = %v, want %v", kinds, want)
	}
}

func TestPreventiveCapacity(t *testing.T) {
	cal, loc := paris(t)
	now := time.Date(2026, 12, 21, 10, 0, 0, 0, loc)
	day := func(s string) time.Time { return date(loc, s) }
	items := []Item{
		preventive(1, day("2027-01-06"), day("2027-01-07"), 0, 480, 1),   // Ana, week 2 whole
		preventive(2, day("2026-12-01"), day("2026-12-02"), -100, 90, 0), // overdue: N2 pool, week 0
		preventive(3, day("2027-03-01"), day("2027-03-02"), 0, 300, 0),   // past 8 weeks: beyond
		preventive(4, day("2026-12-28"), day("2026-12-29"), 0, 0, 0),     // no estimate: no load
	}
	agents := []Agent{{ID: 1, Name: "Ana", Level: "N2", WeeklyMinutes: 35 * 60}}
	p, err := Capacity(CapacityInput{Now: now, Calendar: cal, Agents: agents, Items: items})
	if err != nil {
		t.Fatal(err)
	}
	ana := p.Agents[0]
	if ana.Weeks[2].Assigned != 480 || ana.Total.Assigned != 480 {
		t.Errorf("Ana: week 2 %d, total %d; want 480", ana.Weeks[2].Assigned, ana.Total.Assigned)
	}
	var n2 Line
	for _, l := range p.Levels {
		if l.Level == "N2" {
			n2 = l
		}
	}
	if n2.Weeks[0].Pool != 90 || n2.Total.Pool != 90 || p.Beyond != 300 {
		t.Errorf("N2 pool week 0 %d, total %d, beyond %d; want 90, 90, 300", n2.Weeks[0].Pool, n2.Total.Pool, p.Beyond)
	}
}

func TestPreventiveItemValidate(t *testing.T) {
	cases := []struct {
		field string
		item  Item
	}{
		{"kind", Item{Kind: KindPreventive, ID: 1}},
		{"kind", Item{Kind: KindPreventive, ID: 1, Preventive: &PreventiveFacts{Day: now, End: now}, Task: &TaskFacts{Priority: "low"}}},
		{"due_day", Item{Kind: KindPreventive, ID: 1, Preventive: &PreventiveFacts{}}},
		{"estimate", Item{Kind: KindPreventive, ID: 1, Preventive: &PreventiveFacts{Day: now, End: now, RemainingMinutes: -1}}},
	}
	for _, tc := range cases {
		var e *opsdesk.Error
		if err := tc.item.Validate(); !errors.As(err, &e) || e.Field != tc.field {
			t.Errorf("%+v: %v, want field %s", tc.item, err, tc.field)
		}
	}
}
