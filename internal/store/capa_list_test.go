package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestCAPAListFilters lists actions through each filter of ActionFilter, as staff, with the
// clock set so that one action is overdue.
func TestCAPAListFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		db.Now = func() time.Time { return time.Date(2030, 3, 10, 9, 0, 0, 0, time.UTC) }
		mk := func(title string, kind opsdesk.ActionKind, src opsdesk.ActionSource, srcID, cust, owner int64, due string, to ...opsdesk.ActionStatus) {
			a := &opsdesk.Action{Kind: kind, Title: title, Source: src, SourceID: srcID, CustomerID: cust, OwnerID: owner, DueDay: due}
			if err := db.CreateAction(as(f.agent), a); err != nil {
				t.Fatal(err)
			}
			for _, s := range to {
				if _, err := db.MoveAction(as(f.ops), a.ID, s, "because"); err != nil {
					t.Fatal(err)
				}
			}
		}
		mk("late", opsdesk.ActionCorrective, opsdesk.SourceManual, 0, f.acme.ID, f.agent.ID, "2030-03-09")
		mk("due today", opsdesk.ActionPreventive, opsdesk.SourceAudit, 4, f.acme.ID, f.ops.ID, "2030-03-10", opsdesk.ActionInProgress)
		mk("late but done", opsdesk.ActionCorrective, opsdesk.SourceManual, 0, f.globex.ID, f.agent.ID, "2030-01-01", opsdesk.ActionDone)
		mk("undated", opsdesk.ActionPreventive, opsdesk.SourceManual, 0, 0, 0, "", opsdesk.ActionCancelled)
		if _, err := db.SQL().Exec(db.Rebind(`INSERT INTO capa_actions (kind, title, source, source_id, status, created_by, created_at, updated_at)
			VALUES ('preventive', 'suggested', 'problem', 9, 'proposed', 'test', 1, 1)`)); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			f    opsdesk.ActionFilter
			want []string // in list order
		}{
			{"all, due first", opsdesk.ActionFilter{}, []string{"late but done", "late", "due today", "suggested", "undated"}},
			{"open", opsdesk.ActionFilter{Open: true}, []string{"late", "due today", "suggested"}},
			{"statuses", opsdesk.ActionFilter{Status: []opsdesk.ActionStatus{opsdesk.ActionDone, opsdesk.ActionCancelled}}, []string{"late but done", "undated"}},
			{"overdue", opsdesk.ActionFilter{Overdue: true}, []string{"late"}},
			{"customer", opsdesk.ActionFilter{CustomerID: f.acme.ID}, []string{"late", "due today"}},
			{"owner", opsdesk.ActionFilter{OwnerID: f.agent.ID}, []string{"late but done", "late"}},
			{"source", opsdesk.ActionFilter{Source: opsdesk.SourceAudit}, []string{"due today"}},
			{"kind", opsdesk.ActionFilter{Kind: opsdesk.ActionPreventive}, []string{"due today", "suggested", "undated"}},
			{"limit", opsdesk.ActionFilter{Limit: 2}, []string{"late but done", "late"}},
		}
		for _, c := range cases {
			got, err := db.ListActions(as(f.pm), c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var titles []string
			for _, a := range got {
				titles = append(titles, a.Title)
			}
			if !slices.Equal(titles, c.want) {
				t.Errorf("%s: %v, want %v", c.name, titles, c.want)
			}
		}
		counts, err := db.CountActions(as(f.agent), opsdesk.ActionFilter{Open: true})
		if err != nil {
			t.Fatal(err)
		}
		want := map[opsdesk.ActionStatus]int{"open": 1, "in_progress": 1, "done": 1, "cancelled": 1, "proposed": 1}
		if !mapsEqual(counts.ByStatus, want) || counts.Overdue != 1 {
			t.Fatalf("counts %v overdue %d, want %v overdue 1", counts.ByStatus, counts.Overdue, want)
		}
		if _, err := db.ListActions(t.Context(), opsdesk.ActionFilter{}); !opsdesk.IsKind(err, opsdesk.KindAuth) {
			t.Fatalf("anonymous list: %v", err)
		}
	})
}
