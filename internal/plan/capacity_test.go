package plan

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

func paris(t *testing.T) (Calendar, *time.Location) {
	t.Helper()
	cal, err := FromSLA(sla.FrenchCalendar()) // Mon–Fri 7 h 30 = 450 min; 25 Dec and 1 Jan closed
	if err != nil {
		t.Fatal(err)
	}
	return cal, cal.Location
}

func date(loc *time.Location, s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func capacities(l Line) []int64 {
	var out []int64
	for _, c := range l.Weeks {
		out = append(out, c.Capacity)
	}
	return out
}

func TestFromSLA(t *testing.T) {
	cal, loc := paris(t)
	if got := cal.Standard; got != [7]int64{0, 450, 450, 450, 450, 450, 0} {
		t.Errorf("standard week %v", got)
	}
	for day, want := range map[string]int64{"2026-12-24": 450, "2026-12-25": 0, "2026-12-26": 0, "2027-03-29": 0, "2027-03-30": 450} {
		if got := cal.Minutes(date(loc, day)); got != want {
			t.Errorf("%s: %d minutes, want %d", day, got, want)
		}
	}
}

func TestCapacityAgents(t *testing.T) {
	cal, loc := paris(t)
	agents := []Agent{
		{ID: 1, Name: "Ana", Level: "N1", WeeklyMinutes: 35 * 60},
		// 50 %, away Thursday 7 January to Tuesday 12 January (across a week end).
		{ID: 2, Name: "Ben", Level: "N2", WeeklyMinutes: 35 * 60, Percent: 50,
			Absences: []Absence{{date(time.UTC, "2027-01-07"), date(time.UTC, "2027-01-12")}}},
		{ID: 3, Name: "Chloé", Level: "N3", WeeklyMinutes: 39 * 60},
	}
	tests := []struct {
		name string
		now  time.Time
		want [][]int64 // per agent, 8 weeks
	}{
		{"from a Monday, holidays 25 Dec and 1 Jan", time.Date(2026, 12, 21, 10, 0, 0, 0, loc), [][]int64{
			// Mon–Thu of a 5-day week: 2100 × 1800 / 2250 = 1680.
			{1680, 1680, 2100, 2100, 2100, 2100, 2100, 2100},
			// Half of that; absent Thu–Fri of week 2 and Mon–Tue of week 3: 1050 × 3/5 = 630.
			{840, 840, 630, 630, 1050, 1050, 1050, 1050},
			{1872, 1872, 2340, 2340, 2340, 2340, 2340, 2340},
		}},
		// 23:30 in Paris on Wednesday 23 is still Wednesday: Wed + Thu open = 900 min.
		{"from a Wednesday: week 0 counts from today", time.Date(2026, 12, 23, 23, 30, 0, 0, loc), [][]int64{
			{840, 1680, 2100, 2100, 2100, 2100, 2100, 2100},
			{420, 840, 630, 630, 1050, 1050, 1050, 1050},
			{936, 1872, 2340, 2340, 2340, 2340, 2340, 2340},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Capacity(CapacityInput{Now: tc.now.UTC(), Calendar: cal, Agents: agents})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Weeks) != 8 || !p.Weeks[0].Equal(date(loc, "2026-12-21")) || !p.Weeks[7].Equal(date(loc, "2027-02-08")) {
				t.Fatalf("weeks %v", p.Weeks)
			}
			for i, a := range p.Agents {
				if got := capacities(a); !slices.Equal(got, tc.want[i]) {
					t.Errorf("%s: capacity %v, want %v", a.Name, got, tc.want[i])
				}
			}
		})
	}
}

func TestCapacityLoad(t *testing.T) {
	cal, loc := paris(t)
	now := time.Date(2026, 12, 21, 10, 0, 0, 0, loc)
	agents := []Agent{
		{ID: 1, Name: "Ana", Level: "N1", WeeklyMinutes: 35 * 60},
		{ID: 2, Name: "Ben", Level: "N2", WeeklyMinutes: 35 * 60, Percent: 50},
	}
	tk := func(id int64, rank int, level opsdesk.Level, agent int64) Item {
		return Item{Kind: KindTicket, ID: id, Level: level, Assignee: agent, Ticket: &TicketFacts{SeverityRank: rank}}
	}
	ts := func(id int64, level opsdesk.Level, agent int64, due, target string, minutes int64) Item {
		it := Item{Kind: KindTask, ID: id, Level: level, Assignee: agent, Task: &TaskFacts{Priority: "normal", RemainingMinutes: minutes}}
		if due != "" {
			it.Task.Due = date(loc, due)
		}
		if target != "" {
			it.Task.ProjectTarget = date(loc, target)
		}
		return it
	}
	items := []Item{
		tk(1, 1, "N1", 1),                               // Ana, measured N1 blocking: 120
		tk(2, 3, "N2", 0),                               // N2 pool, severity-3 fallback: 45
		tk(3, 5, "N1", 0),                               // no measure: unestimated
		tk(4, 1, "N1", 99),                              // unknown agent: N1 pool, 120
		ts(10, "N2", 2, "2027-01-06", "", 601),          // Ben, weeks 0..2: 201, 200, 200
		ts(11, "N1", 0, "2026-12-01", "", 300),          // overdue: N1 pool week 0
		ts(12, "N3", 0, "2027-03-01", "", 1100),         // weeks 0..10: 100 each, 300 beyond
		ts(13, "N1", 1, "2026-12-23", "", 1700),         // Ana this week: over-allocated
		ts(14, "N2", 0, "2027-12-01", "2026-12-30", 50), // project target first: weeks 0..1: 25, 25
		ts(15, "N2", 0, "", "", 7),                      // no deadline: week 0
	}
	handling := map[HandlingKey]int64{{1, "N1"}: 120, {1, "N2"}: 240, {3, ""}: 45}
	p, err := Capacity(CapacityInput{Now: now, Calendar: cal, Agents: agents, Items: items, Handling: handling})
	if err != nil {
		t.Fatal(err)
	}
	if p.Unestimated != 1 || p.Beyond != 300 {
		t.Errorf("unestimated %d beyond %d, want 1 and 300", p.Unestimated, p.Beyond)
	}
	ana, ben := p.Agents[0], p.Agents[1]
	if got := ana.Weeks[0]; got != (Cell{Capacity: 1680, Assigned: 1820, Over: true}) {
		t.Errorf("Ana week 0 %+v", got)
	}
	if got := ana.Weeks[1]; got != (Cell{Capacity: 1680}) {
		t.Errorf("Ana week 1 %+v", got)
	}
	if got := ana.Total; got != (Cell{Capacity: 1680*2 + 2100*6, Assigned: 1820}) {
		t.Errorf("Ana total %+v", got)
	}
	wantBen := []int64{201, 200, 200, 0, 0, 0, 0, 0}
	for w, c := range ben.Weeks {
		if c.Assigned != wantBen[w] || c.Pool != 0 || c.Over {
			t.Errorf("Ben week %d %+v, want assigned %d", w, c, wantBen[w])
		}
	}
	byLevel := map[opsdesk.Level]Line{}
	for _, l := range p.Levels {
		byLevel[l.Level] = l
	}
	if len(p.Levels) != 3 {
		t.Errorf("levels %+v", p.Levels)
	}
	if got := byLevel["N1"].Weeks[0]; got != (Cell{Capacity: 1680, Assigned: 1820, Pool: 120 + 300, Over: true}) {
		t.Errorf("N1 week 0 %+v", got)
	}
	if got := byLevel["N2"].Weeks[0]; got != (Cell{Capacity: 840, Assigned: 201, Pool: 45 + 25 + 7}) {
		t.Errorf("N2 week 0 %+v", got)
	}
	if got := byLevel["N2"].Weeks[1]; got != (Cell{Capacity: 840, Assigned: 200, Pool: 25}) {
		t.Errorf("N2 week 1 %+v", got)
	}
	n3 := byLevel["N3"]
	for w, c := range n3.Weeks {
		if c != (Cell{Pool: 100, Over: true}) {
			t.Errorf("N3 week %d %+v: no agent, so any load is over", w, c)
		}
	}
	if n3.Total != (Cell{Pool: 800, Over: true}) {
		t.Errorf("N3 total %+v", n3.Total)
	}
	// Grand totals add up the levels, and all the load is accounted for.
	var load int64
	for w, c := range p.Total.Weeks {
		var sum Cell
		for _, l := range p.Levels {
			sum.add(l.Weeks[w])
		}
		sum.flag()
		if c != sum {
			t.Errorf("total week %d %+v, levels sum to %+v", w, c, sum)
		}
		load += c.Load()
	}
	if want := int64(120 + 45 + 120 + 601 + 300 + 1100 + 1700 + 50 + 7); load+p.Beyond != want || p.Total.Total.Load() != load {
		t.Errorf("load %d + beyond %d, want %d; total %+v", load, p.Beyond, want, p.Total.Total)
	}
}

func TestCapacityInvalid(t *testing.T) {
	cal, _ := paris(t)
	tests := []struct {
		field string
		in    CapacityInput
	}{
		{"calendar", CapacityInput{Now: now}},
		{"level", CapacityInput{Now: now, Calendar: cal, Agents: []Agent{{ID: 1, Level: "N9"}}}},
		{"hours_per_week", CapacityInput{Now: now, Calendar: cal, Agents: []Agent{{ID: 1, Level: "N1", WeeklyMinutes: -1}}}},
		{"percent", CapacityInput{Now: now, Calendar: cal, Agents: []Agent{{ID: 1, Level: "N1", Percent: 120}}}},
		{"absences", CapacityInput{Now: now, Calendar: cal, Agents: []Agent{{ID: 1, Level: "N1",
			Absences: []Absence{{now, now.AddDate(0, 0, -1)}}}}}},
		{"agent", CapacityInput{Now: now, Calendar: cal, Agents: []Agent{{ID: 1, Level: "N1"}, {ID: 1, Level: "N2"}}}},
		{"estimate", CapacityInput{Now: now, Calendar: cal, Items: []Item{{Kind: KindTask, ID: 1, Task: &TaskFacts{Priority: "low", RemainingMinutes: -5}}}}},
	}
	for _, tc := range tests {
		_, err := Capacity(tc.in)
		var e *opsdesk.Error
		if !errors.As(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != tc.field {
			t.Errorf("error %v, want invalid %q", err, tc.field)
		}
	}
}
