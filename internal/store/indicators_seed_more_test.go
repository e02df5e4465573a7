package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
)

// seedSteeringClocks writes the three SLA clocks of every ticket of the work table bench_seed
// (seedSteeringDesk), and the active tickets' next deadlines. Business time is a quarter of the
// real time on the office calendar, all of it on the 24/7 one (fb). cust is the SQL of the
// ticket's customer.
func seedSteeringClocks(db *store.DB, exec func(string, ...any), now int64, cancelAt, cust string) {
	type clock struct {
		name, target, stopped, stopAt, real, paused string
	}
	d := fmt.Sprint(benchDay)
	for _, c := range []clock{
		{"take_charge", "CASE s.sx WHEN 1 THEN 1800 WHEN 2 THEN 7200 WHEN 3 THEN 28800 WHEN 4 THEN 57600 ELSE 0 END",
			"s.k <> 0", "s.created + s.tk", fmt.Sprintf("CASE WHEN s.k = 0 THEN %d - s.created ELSE s.tk END", now), "0"},
		{"workaround", "CASE s.sx WHEN 1 THEN 14400 WHEN 2 THEN 57600 ELSE 0 END",
			"s.k IN (3, 4, 5)", "CASE s.k WHEN 3 THEN " + cancelAt + " ELSE s.r END",
			fmt.Sprintf("CASE s.k WHEN 4 THEN s.r - s.created - s.ps * %[1]s WHEN 5 THEN s.r - s.created - s.ps * %[1]s WHEN 3 THEN %[2]s - s.created WHEN 2 THEN s.w - s.created ELSE %[3]d - s.created END", d, cancelAt, now),
			"CASE WHEN s.k IN (4, 5) THEN s.ps * " + d + " ELSE 0 END"},
		{"resolve", "CASE s.sx WHEN 1 THEN 28800 WHEN 2 THEN 144000 WHEN 3 THEN 540000 WHEN 4 THEN 1080000 ELSE 0 END",
			"s.k IN (3, 4, 5)", "CASE s.k WHEN 3 THEN " + cancelAt + " ELSE s.f END",
			fmt.Sprintf("CASE s.k WHEN 4 THEN s.f - s.created - (s.ps + s.ro) * %[1]s WHEN 5 THEN s.f - s.created - (s.ps + s.ro) * %[1]s WHEN 3 THEN %[2]s - s.created WHEN 2 THEN s.w - s.created ELSE %[3]d - s.created END", d, cancelAt, now),
			"CASE WHEN s.k IN (4, 5) THEN (s.ps + s.ro) * " + d + " ELSE 0 END"},
	} {
		paused := "FALSE"
		if c.name != "take_charge" {
			paused = "s.k = 2"
		}
		elapsed := "(" + c.real + ") * s.fb / 100"
		// The instant the target is (or was) exceeded: kept for running clocks and breached ones.
		deadline := fmt.Sprintf(`CASE WHEN (%[1]s) > 0 AND NOT (%[4]s) AND (NOT (%[2]s) OR %[3]s > (%[1]s) * CAST(1000 AS BIGINT))
			THEN s.created + (%[1]s) * CAST(100000 AS BIGINT) / s.fb END`, c.target, c.stopped, elapsed, paused)
		exec(fmt.Sprintf(`INSERT INTO sla_clocks (ticket_id, clock, severity, target_s, elapsed_ms, paused_ms, deadline, stopped_at,
				state, running, stopped, due_at, computed_at, customer_id)
			SELECT s.i, '%[1]s', CASE s.sx WHEN 1 THEN 'blocking' WHEN 2 THEN 'major' WHEN 3 THEN 'minor' WHEN 4 THEN 'question' ELSE 'evolution' END,
				%[2]s, %[3]s, %[4]s, %[5]s, CASE WHEN %[6]s THEN %[7]s END,
				CASE WHEN (%[2]s) = 0 THEN 'none' WHEN (%[5]s) < %[9]d THEN 'breached' ELSE 'ok' END,
				NOT (%[6]s) AND NOT (%[8]s), %[6]s,
				CASE WHEN NOT (%[6]s) AND NOT (%[8]s) AND (%[5]s) > %[9]d THEN %[5]s END, %[9]d, %[10]s
			FROM bench_seed s`, c.name, c.target, elapsed, c.paused, deadline, c.stopped, c.stopAt, paused, now, cust))
	}
	if db.Dialect() == store.Postgres {
		exec(`ANALYZE tickets, sla_clocks`) // or the update below reads every clock per ticket
	}
	exec(`UPDATE tickets SET next_deadline = (SELECT MIN(c.deadline) FROM sla_clocks c
		WHERE c.ticket_id = tickets.id AND c.running AND c.target_s > 0) WHERE active`)
}

// seedSteeringAround writes what surrounds the tickets of bench_seed: surveys, articles and
// their links, deflections, projects, and a probe per prod environment with 90 days of checks.
func seedSteeringAround(b *testing.B, db *store.DB, exec func(string, ...any), custs []int64, n int, start, now int64) {
	b.Helper()
	cust := func(expr string) string {
		var sb strings.Builder
		fmt.Fprintf(&sb, "CASE %s", expr)
		for i, v := range custs {
			fmt.Fprintf(&sb, " WHEN %d THEN %d", i, v)
		}
		return sb.String() + " END"
	}
	series := func(m int) string {
		if db.Dialect() == store.Postgres {
			return fmt.Sprintf(`generate_series(1::bigint, %d) AS s(i)`, m)
		}
		return fmt.Sprintf(`(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s) s`, m)
	}
	d := benchDay
	exec(fmt.Sprintf(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, ended_at)
		SELECT s.i, %s, 'superseded', s.r, s.r + 7 * %d, s.r + %d FROM bench_seed s WHERE s.k IN (4, 5) AND s.ro = 1`,
		cust("s.ci"), d, d))
	exec(fmt.Sprintf(`INSERT INTO surveys (ticket_id, customer_id, state, opened_at, expires_at, ended_at, solved, rating)
		SELECT s.i, %[1]s, CASE WHEN s.k = 4 THEN 'open' WHEN s.sat < 28 THEN 'answered' ELSE 'expired' END,
			s.f, s.f + 7 * %[2]d, CASE WHEN s.k = 5 THEN s.f + 3 * %[2]d END,
			CASE WHEN s.k = 5 AND s.sat < 28 THEN s.rt < 95 END,
			CASE WHEN s.k = 5 AND s.sat < 28 THEN CASE WHEN s.rt < 4 THEN 1 WHEN s.rt < 8 THEN 2 WHEN s.rt < 20 THEN 3
				WHEN s.rt < 50 THEN 4 WHEN s.rt < 95 THEN 5 END END
		FROM bench_seed s WHERE s.k IN (4, 5)`, cust("s.ci"), d))
	exec(fmt.Sprintf(`INSERT INTO articles (kind, status, visibility, category, created_at, updated_at, published_at)
		SELECT 'article', 'published', 'customers', 'application', %d, %d, %d FROM %s`, start, start, start, series(300)))
	var firstArticle int64
	if err := db.SQL().QueryRow(`SELECT MIN(id) FROM articles`).Scan(&firstArticle); err != nil {
		b.Fatal(err)
	}
	exec(fmt.Sprintf(`INSERT INTO ticket_articles (ticket_id, article_id, linked_at)
		SELECT s.i, %d + s.i %% 300, s.r FROM bench_seed s WHERE s.k IN (4, 5) AND s.art < 8`, firstArticle))
	m := max(n/25, 1)
	exec(fmt.Sprintf(`INSERT INTO kb_deflections (article_id, session_hash, customer_id, at)
		SELECT %d + s.i %% 300, 'visit-' || s.i, %s, %d + s.i * %d / %d FROM %s`,
		firstArticle, cust("s.i % 20"), start, benchSpan, m, series(m)))
	var manager int64
	if err := db.SQL().QueryRow(`SELECT MIN(id) FROM users`).Scan(&manager); err != nil {
		b.Fatalf("a user to manage the projects: %v", err)
	}
	// Target days at midnight UTC; closed up to 25 days early or late, when that is past.
	exec(fmt.Sprintf(`INSERT INTO projects (customer_id, name, manager_id, start_on, target_on, closed_at, created_at, updated_at)
		SELECT %[1]s, 'Project ' || p.i, %[2]d, p.start_on, p.target_on,
			CASE WHEN p.target_on + p.slip < %[3]d THEN p.target_on + p.slip END, p.start_on, p.start_on
		FROM (SELECT s.i AS i, (%[4]d + s.i * %[5]d / 300) / %[6]d * %[6]d AS start_on,
				(%[4]d + s.i * %[5]d / 300) / %[6]d * %[6]d + (60 + s.i %% 60) * %[6]d AS target_on,
				((s.i * 37) %% 50 - 25) * %[6]d + 36000000 AS slip FROM %[7]s) p`,
		cust("p.i % 20"), manager, now, start, benchSpan, d, series(300)))
	exec(fmt.Sprintf(`INSERT INTO env_probes (environment_id, name, url, timeout_ms, interval_ms, threshold, created_at, updated_at, next_due)
		SELECT id, 'home', 'https://example.invalid/', 5000, 300000, 3, %d, %d, %d FROM environments WHERE kind = 'prod'`,
		start, start, now))
	exec(fmt.Sprintf(`INSERT INTO env_probe_results (probe_id, at, ok, status_code, latency_ms)
		SELECT p.id, %d - s.i * 300000, (s.i * 7 + p.id) %% 331 <> 0, 200, 40 FROM env_probes p, %s`, now, series(90*288)))
}
