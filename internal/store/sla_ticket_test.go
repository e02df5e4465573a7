package store_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestClockStartsAtReception: a mail that arrived at 09:00 and was filed at 09:20 is timed from
// 09:00, and the API view says so.
func TestClockStartsAtReception(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		f.now = local(t, "2027-03-01 09:20")
		tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Severity: "minor",
			Category: "application", Subject: "By mail", Description: "d", Channel: opsdesk.ChannelMail, ReceivedAt: local(t, "2027-03-01 09:00")})
		f.now = local(t, "2027-03-01 10:00")
		view, err := db.TicketSLA(as(f.custA), tk.Key, store.SLAOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(view[0])
		// Minor: take charge 4h from 09:00 → 14:30 Paris (13:30 UTC); warned at 3h → 12:00 Paris.
		want := `{"clock":"take_charge","target_seconds":14400,"deadline":"2027-03-01T13:30:00.000Z","warn_at":"2027-03-01T11:00:00.000Z",` +
			`"elapsed_seconds":3600,"remaining_seconds":10800,"paused_seconds":0,"state":"ok","running":true,"stopped":false,` +
			`"stopped_at":null,"calendar":"France — jours ouvrés"}`
		if string(b) != want {
			t.Errorf("take-charge view\n got %s\nwant %s", b, want)
		}
		if view[1].TargetSeconds != nil || view[1].State != "none" || view[1].Deadline != nil || view[1].ElapsedSeconds != 3600 {
			t.Errorf("minor work-around (no target) = %+v", view[1])
		}
	})
}

func TestRecordWorkaround(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newSLAFixture(t, db)
		f.now = local(t, "2027-03-01 09:00")
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "major", Category: "application", Subject: "s", Description: "d"})
		_, err := db.RecordWorkaround(as(f.custA), tk.Key, "reboot")
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.RecordWorkaround(as(f.agent), tk.Key, "  ")
		wantKind(t, err, opsdesk.KindInvalid)

		// The first public answer of the team: it takes the new ticket in charge, in the
		// customer's language (ACME speaks French), and the customer sees it.
		f.now = local(t, "2027-03-01 10:00")
		m, err := db.RecordWorkaround(as(f.agent), tk.Key, "exporter en CSV")
		if err != nil || m.Internal || m.Body != "Contournement : exporter en CSV" {
			t.Fatalf("workaround message %+v, %v", m, err)
		}
		got, _ := db.TicketByKey(admin, tk.Key)
		if got.Status != opsdesk.StatusOpen || !got.TakenAt.Equal(f.now) {
			t.Errorf("after the workaround: %s, taken %v", got.Status, got.TakenAt)
		}
		msgs, _ := db.Messages(as(f.custA), tk.Key)
		if last := msgs[len(msgs)-1]; !strings.HasPrefix(last.Body, "Contournement") {
			t.Errorf("the customer does not see the workaround: %+v", last)
		}
		// A second one is recorded too, but the clock stopped at the first.
		f.now = local(t, "2027-03-01 11:00")
		if _, err := db.RecordWorkaround(as(f.agent), tk.Key, "mieux : patch 2.1"); err != nil {
			t.Fatal(err)
		}
		clocks, _ := db.TicketClocks(admin, tk.Key, store.SLAOptions{})
		if c := clocks[1]; !c.Stopped || c.Elapsed != time.Hour {
			t.Errorf("work-around clock %+v, want stopped at 1h", c)
		}
		hist, _ := db.History(admin, tk.Key)
		n := 0
		for _, e := range hist {
			if e.Kind == store.EventWorkaround {
				n++
			}
		}
		if n != 2 {
			t.Errorf("%d workaround lines in history, want 2", n)
		}
		db.UpdateTicket(as(f.agent), tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()})
		_, err = db.RecordWorkaround(as(f.agent), tk.Key, "late")
		wantKind(t, err, opsdesk.KindConflict)
	})
}
