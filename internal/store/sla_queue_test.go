package store_test

import (
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// deadlineOrder is the queue order by nearest deadline that the ticket lists use.
const deadlineOrder = `SELECT key FROM tickets t WHERE t.active = TRUE ORDER BY COALESCE(t.next_deadline, 9223372036854775807), t.id`

// TestNextDeadlineOrdering checks tickets.next_deadline — the nearest deadline of the running
// clocks, NULL when none runs — as RecomputeClocks and RefreshTicketClocks store it.
func TestNextDeadlineOrdering(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		mk := func(at, severity string, env int64) string {
			f.now = local(t, at)
			return file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, EnvironmentID: env,
				Severity: severity, Impact: "all", Category: "application", Subject: severity, Description: "d", Import: true}).Key
		}
		// Monday 1 March 2027. Imports announce no event: RecomputeClocks picks them up.
		minor := mk("2027-03-01 09:00", "minor", 0)                   // take charge 4h: 13:30 + … = 14:30
		major := mk("2027-03-01 10:00", "major", 0)                   // take charge 2h: 12:00
		blocking := mk("2027-03-01 11:00", "blocking", f.acmeProd.ID) // take charge 1h: 12:00, later id
		evolution := mk("2027-03-01 11:30", "evolution", 0)           // take charge 2 days, taken below: no running target
		question := mk("2027-03-01 11:45", "question", 0)             // take charge 1 day: Tuesday 11:45
		f.now = local(t, "2027-03-01 11:50")
		if _, err := db.Take(as(f.agent), evolution); err != nil {
			t.Fatal(err)
		}
		n, err := db.RecomputeClocks(admin, store.SLAOptions{}, 2) // small batches: several transactions
		if err != nil || n != 5 {
			t.Fatalf("recomputed %d, %v", n, err)
		}
		var got []string
		rows, err := db.SQL().Query(deadlineOrder)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			got = append(got, k)
		}
		rows.Close()
		// The evolution request's resolve and work-around have no target: it runs no targeted
		// clock, so it sorts last. Equal deadlines keep the number order.
		want := []string{major, blocking, minor, question, evolution}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("queue by deadline = %v, want %v", got, want)
		}
		// ListTickets sorts the same way, page after page, and shows each ticket's deadline.
		var listed []string
		cursor := ""
		for {
			page, next, err := db.ListTickets(as(f.agent), opsdesk.TicketFilter{Statuses: []opsdesk.Status{opsdesk.StatusNew, opsdesk.StatusOpen, opsdesk.StatusWaitingCustomer},
				Sort: "deadline", Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range page {
				listed = append(listed, tk.Key)
				if tk.Key == major && !tk.NextDeadline.Equal(local(t, "2027-03-01 12:00")) {
					t.Errorf("major's NextDeadline = %v, want 12:00 local", tk.NextDeadline)
				}
				if tk.Key == evolution && !tk.NextDeadline.IsZero() {
					t.Errorf("evolution's NextDeadline = %v, want none", tk.NextDeadline)
				}
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if strings.Join(listed, " ") != strings.Join(want, " ") {
			t.Errorf("ListTickets by deadline = %v, want %v", listed, want)
		}
		var next *int64
		db.SQL().QueryRow(db.Rebind(`SELECT next_deadline FROM tickets WHERE key = ?`), minor).Scan(&next)
		if next == nil || *next != local(t, "2027-03-01 14:30").UnixMilli() {
			t.Errorf("minor next deadline %v", next)
		}
		// A second run changes nothing.
		if n, err := db.RecomputeClocks(admin, store.SLAOptions{}, 100); err != nil || n != 5 {
			t.Fatalf("second recompute: %d %v", n, err)
		}
		if db.Dialect() == store.SQLite {
			var plan strings.Builder
			rows, _ := db.SQL().Query(`EXPLAIN QUERY PLAN ` + deadlineOrder + ` LIMIT 50`)
			for rows.Next() {
				var id, parent, notused int
				var detail string
				rows.Scan(&id, &parent, &notused, &detail)
				plan.WriteString(detail + "; ")
			}
			rows.Close()
			if !strings.Contains(plan.String(), "tickets_active_deadline") || strings.Contains(plan.String(), "TEMP B-TREE") {
				t.Errorf("the deadline queue does not read the index: %s", plan.String())
			}
		}
	})
}
