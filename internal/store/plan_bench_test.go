package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/plan"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// BenchmarkPlanWithDB measures the steering plan end to end, DB.Plan: reading every open item
// (active tickets with their running clocks, open project tasks, preventive occurrences), the
// overrides, the agents' capacities and the 90-day handling times, then scoring, ranking and
// the 8-week capacity plan (issue #9: under 200 ms for 10,000 open items). It runs on the kept
// desk of BenchmarkIndicators (OPSDESK_BENCH_PLAN_DESK tickets, default 1,000,000: about 7,600
// active tickets, 4,700 with a running targeted clock, over 20 customers on two calendars),
// to which it adds once 2,000 open project tasks over 40 open projects, the 30 agents'
// capacities and a few absences. "all" is the whole plan; "N1" the same plan filtered.
func BenchmarkPlanWithDB(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("OPSDESK_BENCH_PLAN_DESK")); err == nil && v > 0 {
		n = v
	}
	ctx := opsdesk.WithActor(context.Background(), opsdesk.System("bench"))
	for _, d := range storetest.Dialects() {
		b.Run(fmt.Sprintf("%s/%d", d, n), func(b *testing.B) {
			db, custs := steeringBenchDB(b, d, n)
			seedPlanWork(b, db, custs)
			for _, c := range []struct {
				name string
				f    plan.Filter
			}{{"all", plan.Filter{}}, {"N1", plan.Filter{Level: opsdesk.LevelN1}}} {
				b.Run(c.name, func(b *testing.B) {
					// One untimed run first: each connection's first statements are prepared then.
					v, err := db.Plan(ctx, steeringBenchNow, c.f)
					if err != nil {
						b.Fatal(err)
					}
					for b.Loop() {
						if v, err = db.Plan(ctx, steeringBenchNow, c.f); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(v.Total), "items")
					b.ReportMetric(float64(len(v.Rows)), "rows")
				})
			}
		})
	}
}

// seedPlanWork adds, once, 40 open projects of the customers with 50 open tasks each (due over
// the last 2 and the next 10 weeks, 2 to 16 hours, a quarter in progress, assigned round the
// agents), and the agents' capacity settings: a third at 80 % for Ops, two absent a week.
func seedPlanWork(b *testing.B, db *store.DB, custs []int64) {
	b.Helper()
	var open int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM project_tasks WHERE status <> 'done'`).Scan(&open); err != nil {
		b.Fatal(err)
	}
	if open > 0 {
		return
	}
	exec := func(q string, args ...any) {
		b.Helper()
		if _, err := db.SQL().Exec(db.Rebind(q), args...); err != nil {
			b.Fatalf("%v\n%s", err, q)
		}
	}
	var agents []int64
	rs, err := db.SQL().Query(`SELECT id FROM users WHERE role = 'agent' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	for rs.Next() {
		var id int64
		rs.Scan(&id)
		agents = append(agents, id)
	}
	rs.Close()
	var manager int64
	if err := db.SQL().QueryRow(`SELECT MIN(id) FROM users WHERE role = 'project_manager'`).Scan(&manager); err != nil {
		b.Fatal(err)
	}
	now := steeringBenchNow.UnixMilli()
	today := now / benchDay * benchDay
	for p := range 40 {
		var pid, phase int64
		if err := db.SQL().QueryRow(db.Rebind(`INSERT INTO projects (customer_id, name, manager_id, start_on, target_on, priority,
				created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), custs[p%len(custs)], fmt.Sprintf("Roll-out %d", p),
			manager, today-30*benchDay, today+int64(20+p)*benchDay, []string{"normal", "high", "critical", "low"}[p%4],
			now, now).Scan(&pid); err != nil {
			b.Fatal(err)
		}
		if err := db.SQL().QueryRow(db.Rebind(`INSERT INTO project_phases (project_id, position, code, name_fr, name_en)
				VALUES (?, 1, 'build', 'Construction', 'Build') RETURNING id`), pid).Scan(&phase); err != nil {
			b.Fatal(err)
		}
		for i := range 50 {
			k := p*50 + i
			status := "todo"
			if k%4 == 0 {
				status = "in_progress"
			}
			exec(`INSERT INTO project_tasks (project_id, phase_id, title, due_on, estimate_hours, assignee_id, status, component,
					created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				pid, phase, fmt.Sprintf("Task %d", i), today+int64(k%84-14)*benchDay, float64(2+k%15), agents[k%len(agents)],
				status, []string{"application", "mobile", "integration", "database"}[k%4], now, now)
		}
	}
	for i, a := range agents {
		if i%3 == 0 {
			if err := db.SetAgentCapacity(admin, a, 35*60, 80); err != nil {
				b.Fatal(err)
			}
		}
	}
	day := func(d int64) string { return time.UnixMilli(today + d*benchDay).UTC().Format(time.DateOnly) }
	for i, a := range agents[:2] {
		if _, err := db.AddAgentAbsence(admin, a, day(int64(7*i+3)), day(int64(7*i+9)), "leave"); err != nil {
			b.Fatal(err)
		}
	}
	if db.Dialect() == store.Postgres {
		exec(`ANALYZE projects, project_phases, project_tasks, agent_capacity, agent_absences`)
	}
}
