package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// outMail is an outbox mail of a ticket with a fresh Message-ID.
func outMail(tk *opsdesk.Ticket, key, to string, customer bool) *store.OutboxMail {
	return &store.OutboxMail{DedupKey: key, TicketID: tk.ID, TicketKey: tk.Key, Kind: "test", Lang: opsdesk.LangFR, To: to,
		Subject: "s", Text: "t", HTML: "<p>h</p>", MailMessageID: "id-" + key + "@vendor.example", CustomerFacing: customer}
}

func sendJob(m *store.OutboxMail) opsdesk.NewJob {
	return opsdesk.NewJob{Kind: "mail.send", Payload: map[string]int64{"outbox_id": m.ID}, UniqueKey: fmt.Sprint("mail.send:", m.ID)}
}

func TestOutboxQueueAndThread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Severity: "minor",
			Category: "application", Subject: "By mail", Description: "d", Channel: opsdesk.ChannelMail})
		// The customer's own mail, as intake records it (here with its angle brackets).
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE ticket_messages SET mail_message_id = '<first@acme.example>' WHERE ticket_id = ?`), tk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.QueueMails(as(f.agent), nil, sendJob); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("an agent queued mail: %v", err)
		}
		ack := outMail(tk, "ack", f.custA.Email, true)
		agent := outMail(tk, "agent", f.agent.Email, false)
		n, err := db.QueueMails(admin, []*store.OutboxMail{ack, agent}, sendJob)
		if err != nil || n != 2 {
			t.Fatalf("queued %d, %v", n, err)
		}
		if ack.InReplyTo != "first@acme.example" || !slices.Equal(ack.References, []string{"first@acme.example"}) || agent.InReplyTo != "" {
			t.Errorf("ack threads under %q %q; agent mail under %q", ack.InReplyTo, ack.References, agent.InReplyTo)
		}
		// An agent's reply carries its message: the Message-ID is recorded there.
		msg, err := db.AddMessage(as(f.agent), tk.Key, "Answer", false, nil)
		if err != nil {
			t.Fatal(err)
		}
		reply := outMail(tk, "reply", f.custA.Email, true)
		reply.MessageID = msg.ID
		again := outMail(tk, "ack", f.custA.Email, true) // the same cause once more: skipped
		if n, err := db.QueueMails(admin, []*store.OutboxMail{reply, again}, sendJob); err != nil || n != 1 {
			t.Fatalf("queued %d, %v", n, err)
		}
		if !slices.Equal(reply.References, []string{"first@acme.example", ack.MailMessageID}) || reply.InReplyTo != ack.MailMessageID {
			t.Errorf("reply threads under %q %q", reply.InReplyTo, reply.References)
		}
		msgs, _ := db.Messages(admin, tk.Key)
		if msgs[1].MailMessageID != reply.MailMessageID || msgs[0].MailMessageID != "<first@acme.example>" {
			t.Errorf("messages' Message-IDs: %q, %q", msgs[0].MailMessageID, msgs[1].MailMessageID)
		}
		if jobs, _ := db.ListJobs(admin, opsdesk.JobPending, 100); countKind(jobs, "mail.send") != 3 {
			t.Errorf("%d send jobs, want 3", countKind(jobs, "mail.send"))
		}
		refs, err := db.Thread(admin, tk.ID, f.custA.Email, true)
		if err != nil || len(refs) != 3 || refs[2] != reply.MailMessageID {
			t.Errorf("thread = %q, %v", refs, err)
		}
		for _, id := range []string{ack.MailMessageID, "<" + reply.MailMessageID + ">"} {
			if key, err := db.TicketKeyByMailMessageID(admin, id); err != nil || key != tk.Key {
				t.Errorf("ticket of %s: %q, %v", id, key, err)
			}
		}
		_, err = db.TicketKeyByMailMessageID(admin, "nobody@else")
		wantKind(t, err, opsdesk.KindNotFound)
		if robot, err := db.FirstMessageNoAutoreply(admin, tk.ID); err != nil || robot {
			t.Errorf("no_autoreply = %v, %v", robot, err)
		}

		// A long conversation keeps the first Message-ID and the latest ones.
		var last *store.OutboxMail
		for i := range 30 {
			last = outMail(tk, fmt.Sprint("long", i), f.custA.Email, true)
			if _, err := db.QueueMails(admin, []*store.OutboxMail{last}, sendJob); err != nil {
				t.Fatal(err)
			}
		}
		if len(last.References) != 20 || last.References[0] != "first@acme.example" || last.References[19] != "id-long28@vendor.example" {
			t.Errorf("References of a long thread: %d, %q … %q", len(last.References), last.References[0], last.References[len(last.References)-1])
		}
	})
}

func countKind(jobs []*opsdesk.Job, kind string) int {
	n := 0
	for _, j := range jobs {
		if j.Kind == kind {
			n++
		}
	}
	return n
}

func TestOutboxStates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		m := outMail(tk, "one", f.custA.Email, true)
		if _, err := db.QueueMails(admin, []*store.OutboxMail{m}, sendJob); err != nil {
			t.Fatal(err)
		}
		if err := db.FailOutbox(admin, m.ID, "421 try later", false); err != nil {
			t.Fatal(err)
		}
		err := db.RetryOutbox(as(f.ops), m.ID, sendJob)
		wantKind(t, err, opsdesk.KindNotFound) // still pending: nothing to retry
		if err := db.FailOutbox(admin, m.ID, "connection refused", true); err != nil {
			t.Fatal(err)
		}
		got, _ := db.OutboxMailByID(admin, m.ID)
		if got.State != store.OutboxFailed || got.Attempts != 2 || got.LastError != "connection refused" || got.Subject != "s" {
			t.Fatalf("after two failures: %+v", got)
		}
		wantKind(t, db.RetryOutbox(as(f.agent), m.ID, sendJob), opsdesk.KindForbidden)
		if err := db.RetryOutbox(as(f.ops), m.ID, sendJob); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkOutboxSent(admin, m.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.FailOutbox(admin, m.ID, "late", true), opsdesk.KindNotFound) // a sent mail stays sent
		sent, err := db.ListOutbox(as(f.ops), store.OutboxFilter{State: store.OutboxSent})
		if err != nil || len(sent) != 1 || sent[0].Attempts != 3 || sent[0].SentAt.IsZero() || sent[0].LastError != "" {
			t.Fatalf("sent mails: %+v, %v", sent, err)
		}
		_, err = db.ListOutbox(as(f.agent), store.OutboxFilter{})
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.ListOutbox(admin, store.OutboxFilter{State: "lost"})
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.OutboxMailByID(admin, 999)
		wantKind(t, err, opsdesk.KindNotFound)
	})
}
