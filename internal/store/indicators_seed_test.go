package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// steeringBenchNow is the instant the steering benchmarks run at: the seeded desk's three years
// of history end there.
var steeringBenchNow = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

const (
	benchDay  = int64(86_400_000)
	benchSpan = 1095 * benchDay // three years of tickets
)

// seedSteeringDesk fills an empty, migrated db with a desk of n tickets received over the three
// years before steeringBenchNow, written in bulk SQL (ids 1..n, in order of creation), with
// what a real desk has around them (docs/benchmarks.md, "Steering indicators"):
//   - 20 customers of unequal size (the largest a fifth of the tickets), one in four on the
//     24/7 calendar; a test, a preprod and a prod environment each;
//   - severities 3 % blocking, 17 % major, 50 % minor, 20 % questions, 10 % evolutions;
//     channels web 45 %, mail 40 %, api 10 %, probe 5 % (on prod); 60 % with an environment;
//   - 78 % handled at N1 only, 10 % escalated N1→N2, 5 % N1→N2→N3, 5 % started at N2,
//     2 % N2→N3;
//   - a history per ticket: creation, a message, assignment, taken after 5 min–8 h, a pause for
//     the customer (one day) for a quarter, resolved after 30 min to 23 days (the last ones
//     still open: the backlog, about 8,000 at a million), 6 % reopened once and resolved again,
//     closed 7 days after the resolution, 2 % closed without resolution, a few waiting for the
//     customer for months — about 6.5 status or other events per ticket;
//   - three SLA clocks per ticket (take charge, workaround, resolve) with the severity's
//     targets, stopped, running, paused or breached as the history says; the running ones set
//     the ticket's next deadline;
//   - a survey per resolution (superseded on reopening; 28 % answered, mostly 4–5, 5 % without
//     rating), articles linked to 8 % of the resolved tickets (300 articles), a deflection per
//     25 tickets, 300 projects (most closed, some late), and a probe per prod environment
//     checked every 5 minutes over the last 90 days (the default retention).
//
// It returns the customers' ids, largest first.
func seedSteeringDesk(b *testing.B, db *store.DB, n int) []int64 {
	b.Helper()
	now := steeringBenchNow.UnixMilli()
	start := now - benchSpan
	exec := func(q string, args ...any) {
		b.Helper()
		if _, err := db.SQL().Exec(db.Rebind(q), args...); err != nil {
			b.Fatalf("seed: %v\n%s", err, q)
		}
	}
	custs, agents := steeringCustomers(b, db, start)
	ids := func(q string) []int64 {
		b.Helper()
		rs, err := db.SQL().Query(q)
		if err != nil {
			b.Fatal(err)
		}
		defer rs.Close()
		var out []int64
		for rs.Next() {
			var id int64
			if err := rs.Scan(&id); err != nil {
				b.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	contacts := ids(`SELECT MIN(id) FROM contacts GROUP BY customer_id ORDER BY customer_id`)
	// caseOf maps an index expression to the ids of a list: CASE e WHEN 0 THEN ids[0] … END.
	caseOf := func(expr string, vals []int64) string {
		var b strings.Builder
		fmt.Fprintf(&b, "CASE %s", expr)
		for i, v := range vals {
			fmt.Fprintf(&b, " WHEN %d THEN %d", i, v)
		}
		return b.String() + " END"
	}
	var envs []int64 // customer index × 4 + kind (1 test, 2 preprod, 3 prod); 0: none
	for _, c := range custs {
		var e [3]int64
		for k, kind := range []string{"test", "preprod", "prod"} {
			if err := db.SQL().QueryRow(db.Rebind(`INSERT INTO environments (customer_id, kind, name, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?) RETURNING id`), c, kind, strings.ToUpper(kind), start, start).Scan(&e[k]); err != nil {
				b.Fatal(err)
			}
		}
		envs = append(envs, 0, e[0], e[1], e[2])
	}
	series := fmt.Sprintf(`(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s) s`, n)
	if db.Dialect() == store.Postgres {
		series = fmt.Sprintf(`generate_series(1::bigint, %d) AS s(i)`, n)
	}
	h := func(m, a int) string { return fmt.Sprintf("((s.i * %d + %d) %% 1000003)", m, a) }
	// The work table: one row per ticket with its drawn facts; k is its fate (0 new, 1 open,
	// 2 waiting for the customer, 3 closed without resolution, 4 resolved, 5 resolved then
	// closed); r its (first) resolution, f its last, w the start of its current wait.
	exec(`DROP TABLE IF EXISTS bench_seed`)
	exec(fmt.Sprintf(`CREATE TABLE bench_seed AS SELECT y.*,
		CASE WHEN y.st = 1 AND y.created < %[1]d - %[21]d THEN 2
			WHEN y.created + y.tk >= %[1]d THEN 0
			WHEN y.cn = 1 AND y.created + y.tk + 3600000 < %[1]d THEN 3
			WHEN y.cn = 1 OR y.f >= %[1]d THEN CASE WHEN y.sub < 3 THEN 2 ELSE 1 END
			WHEN y.f + 7 * %[2]d < %[1]d THEN 5 ELSE 4 END AS k
		FROM (SELECT x.*, x.created + x.tk + x.dr + x.ps * %[2]d AS r,
				x.created + x.tk + x.dr + x.ps * %[2]d + x.ro * 2 * %[2]d AS f,
				x.created + x.tk + (%[1]d - x.created - x.tk) / 2 AS w,
				CASE WHEN x.chn >= 95 THEN 2 WHEN x.sv < 3 THEN 1 WHEN x.sv < 20 THEN 2 WHEN x.sv < 70 THEN 3
					WHEN x.sv < 90 THEN 4 ELSE 5 END AS sx,
				CASE WHEN x.chn >= 95 OR x.ev < 40 THEN 3 WHEN x.ev < 55 THEN 2 WHEN x.ev < 60 THEN 1 ELSE 0 END AS ek,
				CASE WHEN x.ci %% 4 = 0 THEN 100 ELSE 25 END AS fb
			FROM (SELECT s.i AS i, %[3]d + (s.i - 1) * %[4]d / %[5]d AS created,
				300000 + (%[6]s %% 480) * 60000 AS tk,
				1800000 + (%[7]s %% 1000) * (%[7]s %% 1000) * 2000 AS dr,
				CASE WHEN %[8]s %% 100 < 25 AND 1800000 + (%[7]s %% 1000) * (%[7]s %% 1000) * 2000 > 7200000 THEN 1 ELSE 0 END AS ps,
				CASE WHEN %[9]s %% 100 < 6 THEN 1 ELSE 0 END AS ro,
				CASE WHEN %[10]s %% 100 < 2 THEN 1 ELSE 0 END AS cn,
				CASE WHEN %[11]s %% 5000 = 0 THEN 1 ELSE 0 END AS st,
				%[12]s %% 10 AS sub,
				(%[13]s %% 1000) * (%[13]s %% 1000) / 50000 AS ci,
				%[14]s %% 1000 AS lu, %[15]s %% 100 AS chn, %[16]s %% 100 AS ev, %[17]s %% 100 AS sv,
				%[18]s %% 100 AS sat, %[19]s %% 100 AS rt, %[20]s %% 100 AS art
				FROM `+series+`) x) y`,
		now, benchDay, start, benchSpan, n,
		h(7919, 1), h(104729, 7), h(1299709, 3), h(15485863, 11), h(32452843, 5), h(49979687, 13), h(86028121, 17),
		h(179424673, 19), h(2750159, 23), h(3497861, 29), h(4256233, 31), h(7368787, 37), h(9999991, 41),
		h(12345701, 43), h(22801763, 47), 30*benchDay))
	cust := caseOf("s.ci", custs)
	sev := `CASE s.sx WHEN 1 THEN 'blocking' WHEN 2 THEN 'major' WHEN 3 THEN 'minor' WHEN 4 THEN 'question' ELSE 'evolution' END`
	level := `CASE WHEN s.lu < 50 THEN 'N2' WHEN s.lu < 70 THEN 'N3' WHEN s.lu < 170 THEN 'N2' WHEN s.lu < 220 THEN 'N3' ELSE 'N1' END`
	cancelAt := `s.created + s.tk + 3600000`
	exec(fmt.Sprintf(`INSERT INTO tickets (id, number, key, customer_id, requester_id, environment_id, category, type, severity,
			severity_rank, status, active, level, channel, subject, created_at, updated_at, taken_at, resolved_at, closed_at, reopen_count,
			assignee_id)
		SELECT s.i, s.i, 'OPS-' || s.i, %[1]s, %[2]s, %[3]s,
			CASE s.i %% 4 WHEN 0 THEN 'application' WHEN 1 THEN 'mobile' WHEN 2 THEN 'integration' ELSE 'database' END,
			CASE WHEN s.sx <= 3 THEN 'incident' WHEN s.sx = 4 THEN 'service_request' ELSE 'evolution' END,
			%[4]s, s.sx,
			CASE s.k WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'waiting_customer' WHEN 4 THEN 'resolved' ELSE 'closed' END,
			s.k IN (0, 1, 2), %[5]s,
			CASE WHEN s.chn < 45 THEN 'web' WHEN s.chn < 85 THEN 'mail' WHEN s.chn < 95 THEN 'api' ELSE 'probe' END,
			'Request ' || s.i, s.created,
			CASE s.k WHEN 0 THEN s.created WHEN 1 THEN s.created + s.tk WHEN 2 THEN s.w WHEN 3 THEN %[6]s
				WHEN 4 THEN s.f ELSE s.f + 7 * %[7]d END,
			CASE WHEN s.k = 0 THEN NULL ELSE s.created + s.tk END,
			CASE WHEN s.k IN (4, 5) THEN s.f END,
			CASE s.k WHEN 3 THEN %[6]s WHEN 5 THEN s.f + 7 * %[7]d END,
			CASE WHEN s.k IN (4, 5) THEN s.ro ELSE 0 END,
			CASE WHEN s.k <> 0 THEN %[8]s END
		FROM bench_seed s`,
		cust, caseOf("s.ci", contacts), "NULLIF("+caseOf("s.ci * 4 + s.ek", envs)+", 0)", sev, level, cancelAt, benchDay,
		caseOf("s.i % 30", agents)))
	if db.Dialect() == store.Postgres {
		exec(fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('tickets', 'id'), %d)`, n))
	}
	ev := func(cond, at, kind, field, old, nw string) {
		exec(fmt.Sprintf(`INSERT INTO ticket_events (ticket_id, at, kind, field, old_value, new_value, customer_id)
			SELECT s.i, %s, '%s', '%s', %s, %s, %s FROM bench_seed s WHERE %s`, at, kind, field, old, nw, cust, cond))
	}
	status := func(cond, at, old, nw string) { ev(cond, at, "change", "status", "'"+old+"'", "'"+nw+"'") }
	// end: when the ticket's work ended (first resolution, cancellation) or now.
	end := fmt.Sprintf(`CASE WHEN s.k IN (4, 5) THEN s.r WHEN s.k = 3 THEN %s ELSE %d END`, cancelAt, now)
	if db.Dialect() == store.Postgres {
		// Row by row, the facts' trigger (migration 0023) would take most of the seeding time:
		// the history is written without it, then the migration's own backfill computes them.
		exec(`ALTER TABLE ticket_events DISABLE TRIGGER ticket_events_ind_facts`)
	}
	ev("1 = 1", "s.created", "created", "", "''", "''")
	ev("1 = 1", "s.created + 60000", "message", "", "''", "''")
	ev("s.k <> 0", "s.created + s.tk", "change", "assignee", "''", "'agent'")
	status("s.k <> 0", "s.created + s.tk", "new", "open")
	status("s.k IN (4, 5) AND s.ps = 1", "s.created + s.tk + 3600000", "open", "waiting_customer")
	status("s.k IN (4, 5) AND s.ps = 1", fmt.Sprintf("s.created + s.tk + 3600000 + %d", benchDay), "waiting_customer", "open")
	status("s.k = 2", "s.w", "open", "waiting_customer")
	status("s.k = 3", cancelAt, "open", "closed")
	status("s.k IN (4, 5)", "s.r", "open", "resolved")
	status("s.k IN (4, 5) AND s.ro = 1", fmt.Sprintf("s.r + %d", benchDay), "resolved", "open")
	status("s.k IN (4, 5) AND s.ro = 1", "s.f", "open", "resolved")
	status("s.k = 5", fmt.Sprintf("s.f + 7 * %d", benchDay), "resolved", "closed")
	ev("s.lu >= 50 AND s.lu < 220", "s.created + ("+end+" - s.created) / 3", "escalation", "level",
		"CASE WHEN s.lu < 70 THEN 'N2' ELSE 'N1' END", "CASE WHEN s.lu < 70 THEN 'N3' ELSE 'N2' END")
	ev("s.lu >= 170 AND s.lu < 220", "s.created + ("+end+" - s.created) / 2", "escalation", "level", "'N2'", "'N3'")
	if db.Dialect() == store.Postgres {
		exec(`ALTER TABLE ticket_events ENABLE TRIGGER ticket_events_ind_facts`)
		exec(backfillSQL(b, store.Postgres, 23))
		exec(`ANALYZE`)
	}
	seedSteeringClocks(db, exec, now, cancelAt, cust)
	seedSteeringAround(b, db, exec, custs, n, start, now)
	exec(`DROP TABLE bench_seed`)
	if db.Dialect() == store.Postgres {
		// As autovacuum would after such a load: the planner needs the tables' statistics.
		exec(`VACUUM ANALYZE`)
	}
	return custs
}

// steeringCustomers creates the 20 customers (the first is the largest), a requester each, the
// SLA defaults, and puts one customer in four on the 24/7 calendar; and the team: an ops
// manager, a project manager and 30 agents (18 at N1, 8 at N2, 4 at N3), returned.
func steeringCustomers(b *testing.B, db *store.DB, start int64) (custs, agents []int64) {
	b.Helper()
	for i, r := range []opsdesk.Role{opsdesk.RoleOpsManager, opsdesk.RoleProjectManager} {
		u := &opsdesk.User{Email: fmt.Sprintf("manager%d@vendor.example", i), Name: "Manager", Role: r}
		if err := db.CreateUser(admin, u, ""); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 30 {
		l := opsdesk.LevelN1
		if i >= 18 {
			l = opsdesk.LevelN2
		}
		if i >= 26 {
			l = opsdesk.LevelN3
		}
		u := &opsdesk.User{Email: fmt.Sprintf("agent%d@vendor.example", i), Name: fmt.Sprintf("Agent %d", i), Role: opsdesk.RoleAgent, Level: l}
		if err := db.CreateUser(admin, u, ""); err != nil {
			b.Fatal(err)
		}
		agents = append(agents, u.ID)
	}
	for _, c := range benchCustomers(b, db, "D") {
		custs = append(custs, c.ID)
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO contacts (customer_id, email, name, created_at) VALUES (?, ?, ?, ?)`),
			c.ID, "requester@"+c.Domains[0], "Requester", start); err != nil {
			b.Fatal(err)
		}
	}
	if err := db.SeedSLADefaults(admin); err != nil {
		b.Fatal(err)
	}
	cals, err := db.Calendars(admin)
	if err != nil {
		b.Fatal(err)
	}
	for _, cal := range cals {
		if cal.Name != store.AlwaysOpenName {
			continue
		}
		for i, c := range custs {
			if i%4 == 0 {
				if err := db.SetContractCalendar(admin, c, cal.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return custs, agents
}
