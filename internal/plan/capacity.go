package plan

import (
	"slices"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// DefaultWeeks is the horizon of the capacity plan.
const DefaultWeeks = 8

// Agent is one member of the Ops team as the capacity plan sees them.
type Agent struct {
	ID      int64
	Name    string
	Level   opsdesk.Level
	Domains []string
	// WeeklyMinutes is the contract time per week of a full standard week.
	WeeklyMinutes int64
	// Percent is the share of that time given to Ops work, 1..100 (0 means
	// 100): an agent at 50 % has half the capacity.
	Percent  int64
	Absences []Absence
}

// Absence is a leave from From to To, both local calendar days included.
type Absence struct {
	From, To time.Time
}

// Validate checks the agent, naming the faulty field.
func (a *Agent) Validate() error {
	if a.ID <= 0 {
		return opsdesk.Invalid("agent", "must be positive")
	}
	if !a.Level.Valid() {
		return opsdesk.Invalid("level", "%q is not a support level (N1, N2, N3)", a.Level)
	}
	if a.WeeklyMinutes < 0 || a.WeeklyMinutes > 7*24*60 {
		return opsdesk.Invalid("hours_per_week", "must be between 0 and 168 hours")
	}
	if a.Percent < 0 || a.Percent > 100 {
		return opsdesk.Invalid("percent", "must be between 1 and 100")
	}
	for _, ab := range a.Absences {
		if dayKey(ab.To) < dayKey(ab.From) {
			return opsdesk.Invalid("absences", "an absence ends before it starts")
		}
	}
	return nil
}

// HandlingKey selects a measured average handling time. A key with an
// empty Level is the fallback for the severity at any level.
type HandlingKey struct {
	SeverityRank int
	Level        opsdesk.Level
}

// CapacityInput is everything the capacity plan reads.
type CapacityInput struct {
	Now      time.Time
	Calendar Calendar
	Agents   []Agent
	Items    []Item
	// Handling is the average handling time in minutes per severity and
	// level, measured by the caller over the last 90 days.
	Handling map[HandlingKey]int64
	Weeks    int // 0 means DefaultWeeks
}

// Cell is the capacity and the load of one row in one week (or in total),
// in minutes. For an agent, Assigned is their work and Pool is 0; for a
// level, Assigned is the work of its agents and Pool its unassigned work.
type Cell struct {
	Capacity int64 `json:"capacity_minutes"`
	Assigned int64 `json:"assigned_minutes"`
	Pool     int64 `json:"pool_minutes"`
	Over     bool  `json:"over_allocated"`
}

// Load is the cell's expected work.
func (c Cell) Load() int64 { return c.Assigned + c.Pool }

func (c *Cell) add(o Cell) {
	c.Capacity += o.Capacity
	c.Assigned += o.Assigned
	c.Pool += o.Pool
}

func (c *Cell) flag() { c.Over = c.Load() > c.Capacity }

// Line is one row of the plan: an agent (AgentID set) or a level.
type Line struct {
	AgentID int64         `json:"agent_id,omitempty"`
	Name    string        `json:"name,omitempty"`
	Level   opsdesk.Level `json:"level"`
	Weeks   []Cell        `json:"weeks"`
	Total   Cell          `json:"total"`
}

// CapacityPlan is the week-by-week plan.
type CapacityPlan struct {
	Weeks  []time.Time `json:"weeks"` // local midnight of each week's Monday
	Agents []Line      `json:"agents"`
	Levels []Line      `json:"levels"`
	Total  Line        `json:"total"`
	// Beyond is the task estimate falling after the horizon, in minutes.
	Beyond int64 `json:"beyond_minutes"`
	// Unestimated counts open tickets with no measured handling time.
	Unestimated int `json:"unestimated_tickets"`
}

// Capacity builds the week-by-week plan. Week 0 is the week of Now, its
// capacity counted from Now's day; weeks start on Monday in the calendar's
// location. Ticket load is the measured average handling time, all due in
// week 0; a task's remaining estimate is spread evenly over the weeks from
// week 0 to its deadline's week (overdue or without deadline: week 0), the
// remainder minutes going to the earliest weeks; an occurrence of preventive
// work loads its whole estimate in the week of its due day (overdue: week 0;
// past the horizon: Beyond). Work assigned to a listed agent loads that agent
// and their level; other work loads its level's pool.
func Capacity(in CapacityInput) (*CapacityPlan, error) {
	n := in.Weeks
	if n <= 0 {
		n = DefaultWeeks
	}
	loc := in.Calendar.Location
	if loc == nil {
		loc = time.UTC
	}
	if in.Calendar.Minutes == nil {
		return nil, opsdesk.Invalid("calendar", "is required")
	}
	today := localMidnight(in.Now, loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	p := &CapacityPlan{Weeks: make([]time.Time, n)}
	for i := range p.Weeks {
		p.Weeks[i] = monday.AddDate(0, 0, 7*i)
	}
	var std int64
	for _, m := range in.Calendar.Standard {
		std += m
	}
	// Open minutes of each day of the horizon, from today.
	type day struct {
		key  int
		week int
		min  int64
	}
	var days []day
	for w := range n {
		for d := range 7 {
			t := p.Weeks[w].AddDate(0, 0, d)
			if t.Before(today) {
				continue
			}
			days = append(days, day{dayKey(t), w, in.Calendar.Minutes(t)})
		}
	}

	agentRow := make(map[int64]int, len(in.Agents))
	for i := range in.Agents {
		a := &in.Agents[i]
		if err := a.Validate(); err != nil {
			return nil, err
		}
		if _, dup := agentRow[a.ID]; dup {
			return nil, opsdesk.Invalid("agent", "agent %d is listed twice", a.ID)
		}
		agentRow[a.ID] = i
		pct := a.Percent
		if pct == 0 {
			pct = 100
		}
		open := make([]int64, n)
		for _, d := range days {
			if !absent(a.Absences, d.key) {
				open[d.week] += d.min
			}
		}
		line := Line{AgentID: a.ID, Name: a.Name, Level: a.Level, Weeks: make([]Cell, n)}
		for w := range n {
			if std > 0 {
				line.Weeks[w].Capacity = a.WeeklyMinutes * pct * open[w] / (100 * std)
			}
		}
		p.Agents = append(p.Agents, line)
	}

	pools := map[opsdesk.Level][]Cell{}
	load := func(it *Item, w int, m int64) {
		if i, ok := agentRow[it.Assignee]; ok && it.Assignee != 0 {
			p.Agents[i].Weeks[w].Assigned += m
			return
		}
		if pools[it.Level] == nil {
			pools[it.Level] = make([]Cell, n)
		}
		pools[it.Level][w].Pool += m
	}
	for i := range in.Items {
		it := &in.Items[i]
		if err := it.Validate(); err != nil {
			return nil, err
		}
		if t := it.Ticket; t != nil {
			m, ok := in.Handling[HandlingKey{t.SeverityRank, it.Level}]
			if !ok {
				m, ok = in.Handling[HandlingKey{t.SeverityRank, ""}]
			}
			if !ok {
				p.Unestimated++
				continue
			}
			load(it, 0, m)
			continue
		}
		if pv := it.Preventive; pv != nil {
			// The whole estimate in the week of the due day; overdue: week 0.
			w := max(0, weeksBetween(monday, pv.Day))
			switch {
			case w >= n:
				p.Beyond += pv.RemainingMinutes
			case pv.RemainingMinutes > 0:
				load(it, w, pv.RemainingMinutes)
			}
			continue
		}
		t := it.Task
		last := 0
		if due, ok := t.Deadline(); ok {
			last = max(0, weeksBetween(monday, localMidnight(due, loc)))
		}
		span := int64(last + 1)
		each, rem := t.RemainingMinutes/span, t.RemainingMinutes%span
		for w := range last + 1 {
			m := each
			if int64(w) < rem {
				m++
			}
			if w >= n {
				p.Beyond += m
				continue
			}
			if m > 0 {
				load(it, w, m)
			}
		}
	}

	levels := slices.Clone(opsdesk.Levels)
	if pools[""] != nil {
		levels = append(levels, "")
	}
	p.Total = Line{Weeks: make([]Cell, n)}
	for _, l := range levels {
		line := Line{Level: l, Weeks: make([]Cell, n)}
		if pool := pools[l]; pool != nil {
			copy(line.Weeks, pool)
		}
		for i := range p.Agents {
			a := &p.Agents[i]
			if a.Level != l {
				continue
			}
			for w := range n {
				a.Weeks[w].flag()
				a.Total.add(a.Weeks[w])
				line.Weeks[w].add(a.Weeks[w])
			}
			a.Total.flag()
		}
		for w := range n {
			line.Weeks[w].flag()
			line.Total.add(line.Weeks[w])
			p.Total.Weeks[w].add(line.Weeks[w])
		}
		line.Total.flag()
		p.Levels = append(p.Levels, line)
	}
	for w := range n {
		p.Total.Weeks[w].flag()
		p.Total.Total.add(p.Total.Weeks[w])
	}
	p.Total.Total.flag()
	return p, nil
}

func localMidnight(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// weeksBetween counts whole weeks from Monday a to the week of day b.
func weeksBetween(a, b time.Time) int {
	ya, ma, da := a.Date()
	yb, mb, db := b.Date()
	days := int(time.Date(yb, mb, db, 0, 0, 0, 0, time.UTC).Sub(time.Date(ya, ma, da, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	if days < 0 {
		return -1
	}
	return days / 7
}

// dayKey is the local date of t as YYYYMMDD, in t's own location.
func dayKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

func absent(abs []Absence, key int) bool {
	for _, a := range abs {
		if key >= dayKey(a.From) && key <= dayKey(a.To) {
			return true
		}
	}
	return false
}
