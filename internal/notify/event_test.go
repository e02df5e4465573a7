package notify_test

import (
	"context"
	"testing"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// consume runs every pending ticket event through n, as many times as asked.
func consume(t *testing.T, db *store.DB, n *notify.Notifier, times int) {
	t.Helper()
	for _, ev := range pendingEvents(t, db) {
		for range times {
			if err := n.OnTicketEvent(context.Background(), ev); err != nil {
				t.Fatalf("%s %s: %v", ev.Event, ev.Key, err)
			}
		}
	}
}

func sendJobs(t *testing.T, db *store.DB) int {
	t.Helper()
	js, err := db.ListJobs(admin, opsdesk.JobPending, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range js {
		if j.Kind == notify.SendJob {
			n++
		}
	}
	return n
}

// TestOnTicketEventIsIdempotent runs the same ticket events twice (a retried ticket.event job):
// the mails and their send jobs are created once.
func TestOnTicketEventIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		tk := file(t, db, as(f.alice), opsdesk.NewTicket{Subject: "Twice"})
		if _, err := db.AddMessage(as(f.n1en), tk.Key, "Answer", false, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTicket(as(f.ops), tk.Key, opsdesk.TicketPatch{AssigneeID: &f.n1fr.ID}); err != nil {
			t.Fatal(err)
		}
		consume(t, db, n, 2)
		consume(t, db, n, 1) // and once more, after the fact
		kinds := map[string]int{}
		for _, m := range outbox(t, db) {
			kinds[m.Kind+" "+m.To]++
		}
		want := map[string]int{"ack alice@acme.example": 1, "agent_new n1en@vendor.example": 1, "agent_new n1fr@vendor.example": 1,
			"reply alice@acme.example": 1, "agent_assigned n1fr@vendor.example": 1}
		if len(kinds) != len(want) {
			t.Fatalf("outbox = %v, want %v", kinds, want)
		}
		for k, v := range want {
			if kinds[k] != v {
				t.Errorf("%s: %d mails, want %d (outbox %v)", k, kinds[k], v, kinds)
			}
		}
		if got := sendJobs(t, db); got != len(want) {
			t.Errorf("%d mail.send jobs, want %d", got, len(want))
		}
	})
}

// TestNoAcknowledgementForRobotMail: a ticket opened from mail that intake flagged no_autoreply
// (a robot, a bounce, our own address) gets no acknowledgement — the agents still hear of it.
// Before intake's migration adds the column, the notifier works without it.
func TestNoAcknowledgementForRobotMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		intake := opsdesk.WithActor(context.Background(), opsdesk.System("mail"))
		human := file(t, db, intake, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.alice.Email, Subject: "From a person", Channel: opsdesk.ChannelMail})
		consume(t, db, n, 1)
		if acks := countKind(t, db, human.ID, notify.KindAck); acks != 1 {
			t.Fatalf("a person's mail got %d acknowledgements, want 1", acks)
		}

		if !hasColumn(t, db, "ticket_messages", "no_autoreply") { // as intake's migration will add it
			if _, err := db.SQL().Exec(`ALTER TABLE ticket_messages ADD COLUMN no_autoreply BOOLEAN NOT NULL DEFAULT FALSE`); err != nil {
				t.Fatal(err)
			}
		}
		robot := file(t, db, intake, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: "monitoring@acme.example", Subject: "ALERT disk full", Channel: opsdesk.ChannelMail})
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE ticket_messages SET no_autoreply = TRUE WHERE ticket_id = ?`), robot.ID); err != nil {
			t.Fatal(err)
		}
		consume(t, db, n, 1)
		if acks := countKind(t, db, robot.ID, notify.KindAck); acks != 0 {
			t.Errorf("a robot's mail got %d acknowledgements", acks)
		}
		if news := countKind(t, db, robot.ID, notify.KindAgentNew); news != 2 {
			t.Errorf("the agents got %d mails about the robot's ticket, want 2", news)
		}
	})
}

func countKind(t *testing.T, db *store.DB, ticketID int64, k notify.Kind) int {
	t.Helper()
	c := 0
	for _, m := range outbox(t, db) {
		if m.TicketID == ticketID && m.Kind == string(k) {
			c++
		}
	}
	return c
}

func hasColumn(t *testing.T, db *store.DB, table, column string) bool {
	t.Helper()
	q := `SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?`
	if db.Dialect() == store.Postgres {
		q = `SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`
	}
	var c int
	if err := db.SQL().QueryRow(q, table, column).Scan(&c); err != nil {
		t.Fatal(err)
	}
	return c > 0
}
