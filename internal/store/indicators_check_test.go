package store_test

import (
	"database/sql"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// The independent check (issue #9): every indicator recomputed from the raw rows, read with
// plain SELECTs and counted here in Go following docs/indicators.md — none of the code under
// test is called — and compared with Indicators for several filters, on both databases.

type rawTicket struct {
	id, customer                 int64
	envKind, sev, level, channel string
	created                      int64
}

type rawEvent struct {
	ticket, id, at       int64
	kind, field, old, nw string
}

type rawClock struct {
	ticket              int64
	clock               string
	target, elapsed     int64
	deadline, stoppedAt sql.NullInt64
	stopped             bool
}

type rawSurvey struct {
	ticket int64
	state  string
	opened int64
	rating sql.NullInt64
}

type rawData struct {
	tickets     []rawTicket
	events      []rawEvent
	clocks      []rawClock
	surveys     []rawSurvey
	deflections [][2]int64 // customer (0: none), at
	links       [][2]int64 // ticket, article
	checks      []rawCheck
	projects    []rawProject
}

type rawProject struct {
	customer         int64
	target, closedAt sql.NullInt64
}

type rawCheck struct {
	env, customer, at int64
	envKind, envName  string
	ok                bool
}

func loadRaw(t *testing.T, db *store.DB) *rawData {
	t.Helper()
	r := &rawData{}
	scan := func(q string, fn func(rs *sql.Rows) error) {
		t.Helper()
		rs, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		for rs.Next() {
			if err := fn(rs); err != nil {
				t.Fatal(err)
			}
		}
		if err := rs.Err(); err != nil {
			t.Fatal(err)
		}
	}
	scan(`SELECT t.id, t.customer_id, COALESCE(e.kind, ''), t.severity, t.level, t.channel, t.created_at
		FROM tickets t LEFT JOIN environments e ON e.id = t.environment_id`, func(rs *sql.Rows) error {
		var x rawTicket
		r.tickets = append(r.tickets, x)
		p := &r.tickets[len(r.tickets)-1]
		return rs.Scan(&p.id, &p.customer, &p.envKind, &p.sev, &p.level, &p.channel, &p.created)
	})
	scan(`SELECT ticket_id, id, at, kind, field, old_value, new_value FROM ticket_events ORDER BY id`, func(rs *sql.Rows) error {
		var x rawEvent
		err := rs.Scan(&x.ticket, &x.id, &x.at, &x.kind, &x.field, &x.old, &x.nw)
		r.events = append(r.events, x)
		return err
	})
	scan(`SELECT ticket_id, clock, target_s, elapsed_ms, deadline, stopped_at, stopped FROM sla_clocks`, func(rs *sql.Rows) error {
		var x rawClock
		err := rs.Scan(&x.ticket, &x.clock, &x.target, &x.elapsed, &x.deadline, &x.stoppedAt, &x.stopped)
		r.clocks = append(r.clocks, x)
		return err
	})
	scan(`SELECT ticket_id, state, opened_at, rating FROM surveys`, func(rs *sql.Rows) error {
		var x rawSurvey
		err := rs.Scan(&x.ticket, &x.state, &x.opened, &x.rating)
		r.surveys = append(r.surveys, x)
		return err
	})
	scan(`SELECT COALESCE(customer_id, 0), at FROM kb_deflections`, func(rs *sql.Rows) error {
		var x [2]int64
		err := rs.Scan(&x[0], &x[1])
		r.deflections = append(r.deflections, x)
		return err
	})
	scan(`SELECT ticket_id, article_id FROM ticket_articles`, func(rs *sql.Rows) error {
		var x [2]int64
		err := rs.Scan(&x[0], &x[1])
		r.links = append(r.links, x)
		return err
	})
	scan(`SELECT e.id, e.customer_id, r.at, e.kind, e.name, r.ok FROM env_probe_results r, env_probes p, environments e
		WHERE p.id = r.probe_id AND e.id = p.environment_id`, func(rs *sql.Rows) error {
		var x rawCheck
		err := rs.Scan(&x.env, &x.customer, &x.at, &x.envKind, &x.envName, &x.ok)
		r.checks = append(r.checks, x)
		return err
	})
	scan(`SELECT customer_id, target_on, closed_at FROM projects`, func(rs *sql.Rows) error {
		var x rawProject
		err := rs.Scan(&x.customer, &x.target, &x.closedAt)
		r.projects = append(r.projects, x)
		return err
	})
	return r
}

// expect computes the indicators from the raw rows, as docs/indicators.md defines them.
func (r *rawData) expect(f opsdesk.IndicatorFilter, now time.Time) *opsdesk.Indicators {
	from, to, nowMS := f.From.UnixMilli(), f.To.UnixMilli(), now.UnixMilli()
	in := func(v int64) bool { return v >= from && v < to }
	keep := map[int64]rawTicket{}
	for _, tk := range r.tickets {
		if (f.CustomerID == 0 || tk.customer == f.CustomerID) && (f.EnvKind == "" || tk.envKind == string(f.EnvKind)) &&
			(f.Severity == "" || tk.sev == f.Severity) && (f.Level == "" || tk.level == string(f.Level)) &&
			(f.Channel == "" || tk.channel == string(f.Channel)) {
			keep[tk.id] = tk
		}
	}
	byTicket := map[int64][]rawEvent{}
	for _, e := range r.events {
		byTicket[e.ticket] = append(byTicket[e.ticket], e)
	}
	isStatus := func(e rawEvent) bool { return e.kind == "change" && e.field == "status" }
	active := func(s string) bool { return s == "new" || s == "open" || s == "waiting_customer" }
	isReopen := func(e rawEvent) bool {
		return isStatus(e) && (e.old == "resolved" || e.old == "closed") && active(e.nw)
	}
	started := func(tk rawTicket) string {
		for _, e := range byTicket[tk.id] {
			if e.kind == "escalation" {
				return e.old
			}
		}
		return tk.level
	}
	out := &opsdesk.Indicators{Filter: f}
	resolved := map[int64]bool{}
	const day = 86_400_000
	for id, tk := range keep {
		evs := byTicket[id]
		if in(tk.created) {
			out.TicketsCreated++
			if tk.channel == "probe" {
				out.ProbeIncidents++
			}
		}
		escalated, reopened, everN2 := false, false, started(tk) == "N2"
		var n1up, n2up bool
		statusAtEnd := "new"
		var lastAt int64 = -1
		for _, e := range evs {
			if isStatus(e) && e.nw == "resolved" && in(e.at) {
				resolved[id] = true
			}
			if isStatus(e) && e.at < to && e.at >= lastAt {
				statusAtEnd, lastAt = e.nw, e.at
			}
			if isStatus(e) && in(e.at) {
				if isReopen(e) {
					out.Reopen.Num++
				}
				if e.nw == "resolved" {
					out.Reopen.Den++
				}
			}
			if e.kind == "escalation" {
				escalated = true
				n1up = n1up || (e.old == "N1" && (e.nw == "N2" || e.nw == "N3"))
				n2up = n2up || (e.old == "N2" && e.nw == "N3")
				everN2 = everN2 || e.nw == "N2"
			}
			reopened = reopened || isReopen(e)
		}
		if tk.created < to && active(statusAtEnd) {
			out.Backlog++
			switch age := to - tk.created; {
			case age < day:
				out.BacklogAge.UnderDay++
			case age < 7*day:
				out.BacklogAge.UnderWeek++
			case age < 30*day:
				out.BacklogAge.UnderMonth++
			default:
				out.BacklogAge.Older++
			}
		}
		if resolved[id] && started(tk) == "N1" {
			out.FirstContactN1.Den++
			if !escalated && !reopened {
				out.FirstContactN1.Num++
			}
		}
		if in(tk.created) && started(tk) == "N1" {
			out.EscalationN1N2.Den++
			if n1up {
				out.EscalationN1N2.Num++
			}
		}
		if in(tk.created) && everN2 {
			out.EscalationN2N3.Den++
			if n2up {
				out.EscalationN2N3.Num++
			}
		}
	}
	out.TicketsResolved = len(resolved)
	sla := map[string]*opsdesk.SLACompliance{}
	var take, res []int64
	for _, c := range r.clocks {
		if _, ok := keep[c.ticket]; !ok {
			continue
		}
		if sla[c.clock] == nil {
			sla[c.clock] = &opsdesk.SLACompliance{Clock: c.clock}
		}
		if c.target > 0 {
			if c.deadline.Valid && in(c.deadline.Int64) && c.deadline.Int64 < nowMS {
				sla[c.clock].Breached++
			} else if !c.deadline.Valid && c.stopped && in(c.stoppedAt.Int64) {
				sla[c.clock].Met++
			}
		}
		if c.stopped && c.stoppedAt.Valid && in(c.stoppedAt.Int64) {
			switch c.clock {
			case "take_charge":
				take = append(take, c.elapsed)
			case "resolve":
				res = append(res, c.elapsed)
			}
		}
	}
	for _, k := range []string{"take_charge", "workaround", "resolve"} {
		s := opsdesk.SLACompliance{Clock: k}
		if sla[k] != nil {
			s = *sla[k]
		}
		out.SLA = append(out.SLA, s)
	}
	stats := func(v []int64) opsdesk.DurationStats {
		if len(v) == 0 {
			return opsdesk.DurationStats{}
		}
		slices.Sort(v)
		var sum int64
		for _, x := range v {
			sum += x
		}
		i := 0 // nearest rank: the first value with at least 90 % of the values at or below it
		for 10*(i+1) < 9*len(v) {
			i++
		}
		return opsdesk.DurationStats{Count: len(v), Mean: time.Duration(sum/int64(len(v))) * time.Millisecond, P90: time.Duration(v[i]) * time.Millisecond}
	}
	out.TakeCharge, out.Resolve = stats(take), stats(res)
	var ratings int
	for _, s := range r.surveys {
		if _, ok := keep[s.ticket]; !ok || s.state == "superseded" || !in(s.opened) {
			continue
		}
		out.SurveyResponse.Den++
		if s.state == "answered" {
			out.SurveyResponse.Num++
			if s.rating.Valid {
				out.CSATRated++
				ratings += int(s.rating.Int64)
			}
		}
	}
	if out.CSATRated > 0 {
		out.CSATAverage = float64(ratings) / float64(out.CSATRated)
	}
	for _, d := range r.deflections {
		if in(d[1]) && (f.CustomerID == 0 || d[0] == f.CustomerID) {
			out.KBDeflections++
		}
	}
	uses := map[int64]int{}
	for _, l := range r.links {
		if _, ok := keep[l[0]]; ok && resolved[l[0]] {
			uses[l[1]]++
		}
	}
	for id, n := range uses {
		out.ArticlesSolved = append(out.ArticlesSolved, opsdesk.ArticleUse{ArticleID: id, Tickets: n})
	}
	slices.SortFunc(out.ArticlesSolved, func(a, b opsdesk.ArticleUse) int {
		if a.Tickets != b.Tickets {
			return b.Tickets - a.Tickets
		}
		return int(a.ArticleID - b.ArticleID)
	})
	avail := map[int64]*opsdesk.EnvAvailability{}
	for _, c := range r.checks {
		if c.envKind != "prod" || !in(c.at) || (f.CustomerID != 0 && c.customer != f.CustomerID) {
			continue
		}
		if avail[c.env] == nil {
			avail[c.env] = &opsdesk.EnvAvailability{EnvironmentID: c.env, CustomerID: c.customer, Name: c.envName}
		}
		avail[c.env].Checks++
		if c.ok {
			avail[c.env].OK++
		}
	}
	for _, a := range avail {
		out.Availability = append(out.Availability, *a)
	}
	for _, p := range r.projects {
		if !p.target.Valid || !p.closedAt.Valid || !in(p.closedAt.Int64) || (f.CustomerID != 0 && p.customer != f.CustomerID) {
			continue
		}
		out.ProjectsOnTime.Den++
		if time.UnixMilli(p.closedAt.Int64).UTC().Format(time.DateOnly) <= time.UnixMilli(p.target.Int64).UTC().Format(time.DateOnly) {
			out.ProjectsOnTime.Num++
		}
	}
	slices.SortFunc(out.Availability, func(a, b opsdesk.EnvAvailability) int { return int(a.EnvironmentID - b.EnvironmentID) })
	return out
}

func TestIndicatorsIndependentCheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := seedIndicators(t, db)
		raw := loadRaw(t, db)
		now := db.Now()
		all := opsdesk.IndicatorFilter{From: s.from, To: s.to}
		with := func(fn func(f *opsdesk.IndicatorFilter)) opsdesk.IndicatorFilter { f := all; fn(&f); return f }
		filters := map[string]opsdesk.IndicatorFilter{
			"all":         all,
			"acme":        with(func(f *opsdesk.IndicatorFilter) { f.CustomerID = s.f.acme.ID }),
			"globex":      with(func(f *opsdesk.IndicatorFilter) { f.CustomerID = s.f.globex.ID }),
			"prod":        with(func(f *opsdesk.IndicatorFilter) { f.EnvKind = opsdesk.EnvProd }),
			"minor":       with(func(f *opsdesk.IndicatorFilter) { f.Severity = "minor" }),
			"N1":          with(func(f *opsdesk.IndicatorFilter) { f.Level = opsdesk.LevelN1 }),
			"N3":          with(func(f *opsdesk.IndicatorFilter) { f.Level = opsdesk.LevelN3 }),
			"mail":        with(func(f *opsdesk.IndicatorFilter) { f.Channel = opsdesk.ChannelMail }),
			"acme minor":  with(func(f *opsdesk.IndicatorFilter) { f.CustomerID, f.Severity = s.f.acme.ID, "minor" }),
			"globex N1":   with(func(f *opsdesk.IndicatorFilter) { f.CustomerID, f.Level = s.f.globex.ID, opsdesk.LevelN1 }),
			"first day":   {From: s.from, To: s.from.Add(36 * time.Hour)},
			"T1 waiting":  {From: s.from, To: s.from.Add(25 * time.Hour)},
			"all time":    {From: time.Unix(0, 0), To: now.Add(time.Hour)},
			"the 2nd day": {From: s.from.Add(48 * time.Hour), To: s.from.Add(72 * time.Hour)},
		}
		nonZero := map[string]bool{}
		for name, f := range filters {
			got, err := db.Indicators(as(s.f.ops), f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := raw.expect(f, now)
			got.Filter, want.Filter = f, f
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s:\n got %+v\nwant %+v", name, *got, *want)
			}
			for _, c := range want.SLA {
				nonZero["sla met"] = nonZero["sla met"] || c.Met > 0
				nonZero["sla breached"] = nonZero["sla breached"] || c.Breached > 0
			}
			nonZero["p90"] = nonZero["p90"] || want.Resolve.P90 > 0
		}
		// The seed exercises what it is for.
		for _, k := range []string{"sla met", "sla breached", "p90"} {
			if !nonZero[k] {
				t.Errorf("the seed gives no %s", k)
			}
		}
	})
}
