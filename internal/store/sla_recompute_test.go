package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// recomputeScenario builds, through the store's real methods, tickets of two customers in two
// calendars with random histories — taken or answered with a workaround, paused for the
// customer and resumed, resolved and reopened, resolved and closed, severity and environment
// changed. The same steps give the same database, ids included.
type recomputeScenario struct {
	*slaFixture
	base   time.Time
	keys   []string           // the tickets filed, in order
	london *store.SLACalendar // Globex's calendar
}

func newRecomputeScenario(t *testing.T, db *store.DB) *recomputeScenario {
	t.Helper()
	s := &recomputeScenario{slaFixture: newSLAFixture(t, db), base: local(t, "2027-03-01 08:00")}
	s.now = s.base
	cal, err := sla.ParseCalendar([]byte(`{"timezone": "Europe/London",
		"hours": {"mon": [["08:00","20:00"]], "tue": [["08:00","20:00"]], "wed": [["08:00","12:00"],["13:00","20:00"]],
		          "thu": [["08:00","20:00"]], "fri": [["08:00","20:00"]], "sat": [["09:00","13:00"]]},
		"holidays": ["2027-03-05"], "holiday_rules": ["easter_monday"]}`))
	if err != nil {
		t.Fatal(err)
	}
	s.london = &store.SLACalendar{Name: "Globex hours", Calendar: cal}
	if err := db.SaveCalendar(admin, s.london); err != nil {
		t.Fatal(err)
	}
	if err := db.SetContractCalendar(admin, s.globex.ID, s.london.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

// seed files n tickets with random histories. Every change happens before s.base + 12 days.
func (s *recomputeScenario) seed(t *testing.T, db *store.DB, n int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, uint64(n)))
	sevs := []string{"blocking", "major", "minor", "question", "evolution"}
	for i := range n {
		cust, env := s.acme, []int64{0, s.acmeProd.ID}[rng.IntN(2)]
		email := s.custA.Email
		if rng.IntN(3) == 0 {
			cust, env, email = s.globex, []int64{0, s.globexProd.ID}[rng.IntN(2)], s.custB.Email
		}
		at := s.base.Add(time.Duration(rng.IntN(8*24*60)) * time.Minute)
		s.now = at
		tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: cust.ID, RequesterEmail: email, EnvironmentID: env,
			Severity: sevs[rng.IntN(len(sevs))], Impact: "all", Category: "application", Subject: fmt.Sprint("Request ", i),
			Description: "d", Import: rng.IntN(2) == 0})
		s.keys = append(s.keys, tk.Key)
		status := opsdesk.StatusNew
		for range rng.IntN(7) {
			s.now = s.now.Add(time.Duration(1+rng.IntN(20*60)) * time.Minute)
			if s.now.After(s.base.Add(12 * 24 * time.Hour)) {
				break
			}
			var err error
			switch r := rng.IntN(10); {
			case status == opsdesk.StatusClosed:
			case r == 0 && status.Active():
				_, err = db.RecordWorkaround(admin, tk.Key, "restart it")
				if status == opsdesk.StatusNew {
					status = opsdesk.StatusOpen
				}
			case r == 1:
				_, err = db.UpdateTicket(admin, tk.Key, opsdesk.TicketPatch{Severity: ptr(sevs[rng.IntN(len(sevs))]), Reason: "requalified"})
			case r == 2 && cust == s.acme:
				_, err = db.UpdateTicket(admin, tk.Key, opsdesk.TicketPatch{EnvironmentID: ptr([]int64{0, s.acmeProd.ID}[rng.IntN(2)]), Reason: "moved"})
			default:
				next := map[opsdesk.Status][]opsdesk.Status{
					opsdesk.StatusNew:             {opsdesk.StatusOpen},
					opsdesk.StatusOpen:            {opsdesk.StatusWaitingCustomer, opsdesk.StatusWaitingCustomer, opsdesk.StatusResolved},
					opsdesk.StatusWaitingCustomer: {opsdesk.StatusOpen},
					opsdesk.StatusResolved:        {opsdesk.StatusOpen, opsdesk.StatusOpen, opsdesk.StatusClosed},
				}[status]
				to := next[rng.IntN(len(next))]
				_, err = db.UpdateTicket(admin, tk.Key, opsdesk.TicketPatch{Status: &to, Reason: "moved on", Resolution: resolutionFor(to)})
				status = to
			}
			if err != nil {
				t.Fatalf("ticket %d: %v", i, err)
			}
		}
	}
	s.now = s.base.Add(12 * 24 * time.Hour)
}

// edit changes what the clocks count in and against: the default (French) calendar moves by an
// hour and gains a holiday, Globex gets targets of its own, and a few tickets change severity
// or status without their clocks being refreshed; one ticket is filed and one changed at the
// very instant of the recompute.
func (s *recomputeScenario) edit(t *testing.T, db *store.DB) {
	t.Helper()
	s.now = s.now.Add(time.Hour)
	cals, err := db.Calendars(admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cals {
		if c.Name == store.FrenchCalendarName {
			c.Calendar = sla.FrenchCalendar()
			c.Calendar.Timezone = "Europe/Lisbon"
			c.Calendar.Holidays = []string{"2027-03-15"}
			if err := db.SaveCalendar(admin, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := time.Hour
	if err := db.SetSLATargets(admin, s.globex.ID, []sla.Target{
		{Severity: "blocking", TakeCharge: h / 2, Workaround: 2 * h, Resolve: 8 * h, EscalateOnBreach: true},
		{Severity: "major", TakeCharge: h, Resolve: 24 * h},
		{Severity: "minor", TakeCharge: 4 * h, Resolve: 40 * h},
		{Severity: "question", EnvKind: "prod", TakeCharge: 2 * h},
	}); err != nil {
		t.Fatal(err)
	}
	for i, key := range s.keys {
		if i%7 == 3 {
			if _, err := db.UpdateTicket(admin, key, opsdesk.TicketPatch{Severity: ptr([]string{"blocking", "minor"}[i%2]), Reason: "requalified"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.now = s.now.Add(26 * time.Hour)
	tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: s.acme.ID, RequesterEmail: s.custA.Email, Severity: "major", Impact: "all",
		Category: "application", Subject: "At the instant", Description: "d", Import: true})
	s.keys = append(s.keys, tk.Key)
	for _, key := range s.keys {
		if tk, err := db.TicketByKey(admin, key); err == nil && tk.Status == opsdesk.StatusOpen {
			if _, err := db.UpdateTicket(admin, key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusWaitingCustomer)}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
}

// storedClocks lists, one line per row, every stored clock, the tickets' next deadlines and
// digests, and the SLA history lines: what a recompute writes.
func storedClocks(t *testing.T, db *store.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT ticket_id, clock, generation, severity, env_kind, target_s, elapsed_ms, paused_ms, deadline, warn_at, stopped_at,
			state, running, stopped, alerted, due_at, computed_at FROM sla_clocks ORDER BY ticket_id, clock`,
		`SELECT id, next_deadline, sla_digest FROM tickets ORDER BY id`,
		`SELECT ticket_id, at, field, old_value, new_value, reason FROM ticket_events WHERE kind = 'sla' ORDER BY ticket_id, id`,
	} {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				if i > 0 {
					b.WriteString(" ")
				}
				fmt.Fprint(&b, v)
			}
			out = append(out, b.String())
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	bad := 0
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			if bad++; bad <= 10 {
				t.Errorf("%s, line %d:\n got  %s\n want %s", what, i, g, w)
			}
		}
	}
	if bad > 10 {
		t.Errorf("%s: %d lines differ in all", what, bad)
	}
}

// TestRecomputeMatchesRefresh checks that RecomputeClocks, which plans every open ticket in
// bulk, stores exactly what RefreshTicketClocks stores ticket by ticket: two databases are built
// alike, one recomputes and the other refreshes each open ticket alone, first with nothing
// stored, then after a calendar edit, a change of targets and re-qualified tickets (with the
// alerts recorded in between); the clocks, next deadlines, digests and SLA history lines must
// be the same, and agree with the live clocks of TicketClocks.
func TestRecomputeMatchesRefresh(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			bulk, alone := storetest.Open(t, d), storetest.Open(t, d)
			sb, sa := newRecomputeScenario(t, bulk), newRecomputeScenario(t, alone)
			const n = 90
			sb.seed(t, bulk, n)
			sa.seed(t, alone, n)
			compare := func(step string) {
				t.Helper()
				got, err := bulk.RecomputeClocks(admin, store.SLAOptions{}, 7) // several transactions
				if err != nil {
					t.Fatal(err)
				}
				open := 0
				for _, key := range sa.keys {
					tk, err := alone.TicketByKey(admin, key)
					if err != nil {
						t.Fatal(err)
					}
					if tk.Status.Active() {
						open++
						if _, err := alone.RefreshTicketClocks(admin, tk.ID, store.SLAOptions{}); err != nil {
							t.Fatal(err)
						}
					}
				}
				if got != open {
					t.Errorf("%s: recomputed %d tickets, %d open", step, got, open)
				}
				stored := storedClocks(t, bulk)
				sameLines(t, step+": recomputed vs refreshed one by one", stored, storedClocks(t, alone))
				// A second recompute finds everything current and writes nothing.
				if _, err := bulk.RecomputeClocks(admin, store.SLAOptions{}, 500); err != nil {
					t.Fatal(err)
				}
				sameLines(t, step+": second recompute", storedClocks(t, bulk), stored)
				checkLiveClocks(t, bulk, sb)
			}
			compare("first")
			sb.now, sa.now = sb.now.Add(30*time.Minute), sa.now.Add(30*time.Minute)
			for _, db := range []*store.DB{bulk, alone} {
				if _, _, err := db.ProcessSLADue(admin, store.SLAOptions{}, 1000); err != nil {
					t.Fatal(err)
				}
			}
			sb.edit(t, bulk)
			sa.edit(t, alone)
			compare("after the edits")
			// The scenario did what it is for: clocks re-targeted (by the targets and by severity),
			// alerted, paused.
			for what, q := range map[string]string{
				"re-targeted by the contract": `SELECT COUNT(*) FROM ticket_events WHERE kind = 'sla' AND reason = 'contract targets changed'`,
				"re-targeted by severity":     `SELECT COUNT(*) FROM ticket_events WHERE kind = 'sla' AND reason LIKE 'severity %'`,
				"alerted":                     `SELECT COUNT(*) FROM sla_clocks WHERE alerted <> ''`,
				"paused":                      `SELECT COUNT(*) FROM sla_clocks WHERE paused_ms > 0`,
			} {
				var n int
				if err := bulk.SQL().QueryRow(q).Scan(&n); err != nil || n == 0 {
					t.Errorf("no clock %s (%v)", what, err)
				}
			}
		})
	}
}

// checkLiveClocks compares each open ticket's stored clocks with TicketClocks evaluated at the
// same instant — their elapsed time only in the rows written then: a row is not written again
// for the time passing alone (nor for a calendar edit that moves no deadline).
func checkLiveClocks(t *testing.T, db *store.DB, s *recomputeScenario) {
	t.Helper()
	ms := func(v *int64) time.Time {
		if v == nil {
			return time.Time{}
		}
		return time.UnixMilli(*v)
	}
	for _, key := range s.keys {
		tk, err := db.TicketByKey(admin, key)
		if err != nil {
			t.Fatal(err)
		}
		if !tk.Status.Active() {
			continue
		}
		live, err := db.TicketClocks(admin, key, store.SLAOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range live {
			var target, elapsed, computed int64
			var deadline, warn *int64
			var state string
			var running, stopped bool
			err := db.SQL().QueryRow(db.Rebind(`SELECT target_s, elapsed_ms, deadline, warn_at, state, running, stopped, computed_at
				FROM sla_clocks WHERE ticket_id = ? AND clock = ?`), tk.ID, string(c.Kind)).
				Scan(&target, &elapsed, &deadline, &warn, &state, &running, &stopped, &computed)
			if err != nil {
				t.Fatalf("%s %s: %v", key, c.Kind, err)
			}
			want := fmt.Sprint(int64(c.Target/time.Second), c.State, c.Running, c.Stopped)
			if got := fmt.Sprint(target, state, running, stopped); got != want {
				t.Errorf("%s %s: stored %s, live %s", key, c.Kind, got, want)
			}
			if c.Target <= 0 {
				continue
			}
			if !ms(deadline).Equal(c.Deadline.Truncate(time.Millisecond)) || !ms(warn).Equal(c.WarnAt.Truncate(time.Millisecond)) {
				t.Errorf("%s %s: stored deadline %v warn %v, live %v %v", key, c.Kind, ms(deadline), ms(warn), c.Deadline, c.WarnAt)
			}
			if computed == s.now.UnixMilli() && elapsed != c.Elapsed.Milliseconds() {
				t.Errorf("%s %s: stored elapsed %d ms, live %v", key, c.Kind, elapsed, c.Elapsed)
			}
		}
	}
}

// TestRecomputeRereadsChangedTickets changes a ticket while a recompute, on PostgreSQL, has read
// it without a lock: the recompute must lock it, see the change and store the clocks of the
// ticket as it now is. (On SQLite a recompute holds the write lock from its start.)
func TestRecomputeRereadsChangedTickets(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skipf("%s is not set", storetest.PostgresEnv)
	}
	db := storetest.Open(t, store.Postgres)
	f := newSLAFixture(t, db)
	f.now = local(t, "2027-03-01 09:00")
	tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Severity: "major",
		Impact: "all", Category: "application", Subject: "s", Description: "d", Import: true})
	f.now = local(t, "2027-03-01 10:00")
	changed := false
	defer store.SetRecomputeRead(func() {
		if changed {
			return
		}
		changed = true
		if _, err := db.Take(as(f.agent), tk.Key); err != nil { // new → open, taken: take charge stops
			t.Error(err)
		}
	})()
	if n, err := db.RecomputeClocks(admin, store.SLAOptions{}, 100); err != nil || n != 1 || !changed {
		t.Fatalf("recomputed %d, %v (changed during: %v)", n, err, changed)
	}
	stored := storedClocks(t, db)
	if _, err := db.RefreshTicketClocks(admin, tk.ID, store.SLAOptions{}); err != nil {
		t.Fatal(err)
	}
	sameLines(t, "recomputed vs refreshed after the change", stored, storedClocks(t, db))
	var state string
	var running bool
	db.SQL().QueryRow(db.Rebind(`SELECT state, running FROM sla_clocks WHERE ticket_id = ? AND clock = 'take_charge'`), tk.ID).Scan(&state, &running)
	if running {
		t.Errorf("take-charge clock of a taken ticket stored as running (%s)", state)
	}
}

// TestRecomputeRestoresConnection checks that on SQLite the connection a recompute writes
// through goes back to the pool as it was taken: checkpointing the WAL at SQLite's default.
func TestRecomputeRestoresConnection(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newRecomputeScenario(t, db)
	s.seed(t, db, 20)
	var want int
	if err := db.SQL().QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecomputeClocks(admin, store.SLAOptions{}, 5); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 8 { // every connection the pool may hold
		conn, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var got int
		if err := conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&got); err != nil || got != want {
			t.Errorf("connection %d: wal_autocheckpoint = %d (%v), want %d", i, got, err, want)
		}
	}
}
