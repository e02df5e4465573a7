package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/demo"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// generateWithMail fills db with a demo of about n tickets ending at demoNow, its mail delivered
// through the intake into a blob store of its own, which it returns.
func generateWithMail(t *testing.T, db *store.DB, seed uint64, n int) *blob.Store {
	t.Helper()
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return demoNow.Add(time.Hour) }
	if _, err := demo.Generate(context.Background(), db, demo.Options{Now: demoNow, Seed: seed, Tickets: n, Blobs: blobs}); err != nil {
		t.Fatal(err)
	}
	return blobs
}

// allTickets lists every ticket by number.
func allTickets(t *testing.T, db *store.DB) []*opsdesk.Ticket {
	t.Helper()
	var out []*opsdesk.Ticket
	for cursor := ""; ; {
		tks, next, err := db.ListTickets(admin, opsdesk.TicketFilter{Sort: "number", Limit: 200, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tks...)
		if cursor = next; cursor == "" {
			return out
		}
	}
}

// rawMail reads the stored raw message of a ticket message that came by mail, with its record.
func rawMail(t *testing.T, db *store.DB, blobs *blob.Store, key string, msgID int64) (*store.InboundMail, *mail.Message, []byte) {
	t.Helper()
	in, err := db.MessageInbound(admin, key, msgID)
	if err != nil {
		t.Fatalf("%s message %d: %v", key, msgID, err)
	}
	f, err := blobs.Open(in.RawSHA256)
	if err != nil {
		t.Fatalf("%s: raw message: %v", key, err)
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: the raw message does not read as RFC 5322: %v", key, err)
	}
	return in, m, raw
}

// sentTo tells whether m is addressed to addr.
func sentTo(m *mail.Message, addr string) bool {
	to, err := m.Header.AddressList("To")
	return err == nil && len(to) == 1 && to[0].Address == addr
}

// blobSize reads stored content, giving its size.
func blobSize(blobs *blob.Store, sum string) (int64, error) {
	f, err := blobs.Open(sum)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(io.Discard, f)
}

// TestGenerateMail checks that the demo's mail requests came through the mail intake: each has
// its raw message and Message-ID stored, some carry a file, and some customers' replies by mail
// are threaded onto their tickets as customer messages.
func TestGenerateMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		blobs := generateWithMail(t, db, 1, 120) // half the demo: enough of every case, in half the time
		var mails, qualified, files, replies, accents int
		dec := new(mime.WordDecoder)
		for _, tk := range allTickets(t, db) {
			if tk.Channel != opsdesk.ChannelMail {
				continue
			}
			mails++
			msgs, err := db.Messages(admin, tk.Key)
			if err != nil || len(msgs) == 0 {
				t.Fatalf("%s: messages %v, %v", tk.Key, msgs, err)
			}
			first := msgs[0]
			if first.MailMessageID == "" {
				t.Errorf("%s: its first message has no Message-ID", tk.Key)
				continue
			}
			in, m, raw := rawMail(t, db, blobs, tk.Key, first.ID)
			if in.Status != store.InboundTicket || in.TicketKey != tk.Key || in.MessageID != first.MailMessageID {
				t.Errorf("%s: inbound record %+v", tk.Key, in)
			}
			subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
			from, ferr := mail.ParseAddress(m.Header.Get("From"))
			date, derr := m.Header.Date()
			switch {
			case m.Header.Get("Message-ID") != "<"+first.MailMessageID+">":
				t.Errorf("%s: Message-ID %q, stored %q", tk.Key, m.Header.Get("Message-ID"), first.MailMessageID)
			case err != nil || subject != tk.Subject:
				t.Errorf("%s: Subject %q (%v), ticket %q", tk.Key, subject, err, tk.Subject)
			case ferr != nil || from.Address != tk.RequesterMail || from.Name == "":
				t.Errorf("%s: From %v (%v), requester %s", tk.Key, from, ferr, tk.RequesterMail)
			case !sentTo(m, "support@opsdesk.example"):
				t.Errorf("%s: To %q, want the demo's support address", tk.Key, m.Header.Get("To"))
			case derr != nil || !date.Equal(tk.CreatedAt.Truncate(time.Second)):
				t.Errorf("%s: Date %v (%v), ticket created at %v", tk.Key, date, derr, tk.CreatedAt)
			}
			if tk.Category != "other" {
				qualified++
			}
			if bytes.Contains(raw, []byte("=C3=A9")) { // "é" in quoted-printable
				accents++
			}
			for _, a := range first.Attachments {
				if n, err := blobSize(blobs, a.SHA256); err != nil || n != a.Size || n == 0 {
					t.Errorf("%s: attachment %s: %d bytes in the blob store (%v), recorded %d", tk.Key, a.Name, n, err, a.Size)
				}
				files++
			}
			for _, msg := range msgs[1:] {
				if msg.Channel != opsdesk.ChannelMail || msg.Internal {
					continue
				}
				in, m, _ := rawMail(t, db, blobs, tk.Key, msg.ID)
				if msg.AuthorContactID == 0 || msg.MailMessageID == "" || in.TicketKey != tk.Key ||
					(in.Status != store.InboundReply && in.Status != store.InboundReopened) {
					t.Errorf("%s: reply %d by mail is not a customer's message of the ticket: %+v, inbound %+v", tk.Key, msg.ID, msg, in)
				}
				if got := m.Header.Get("In-Reply-To"); got != "<"+first.MailMessageID+">" {
					t.Errorf("%s: reply In-Reply-To %q, want the first mail's", tk.Key, got)
				}
				if strings.Contains(msg.Body, "\n>") || strings.TrimSpace(msg.Body) == "" {
					t.Errorf("%s: reply body keeps the quoted mail or is empty: %q", tk.Key, msg.Body)
				}
				replies++
			}
		}
		t.Logf("%d mail tickets, %d qualified, %d files, %d replies by mail", mails, qualified, files, replies)
		if mails < 20 || qualified < mails/2 || files == 0 || replies == 0 || accents == 0 {
			t.Errorf("%d mail tickets (want ≥ 20), %d qualified, %d files, %d replies by mail, %d with quoted-printable accents",
				mails, qualified, files, replies, accents)
		}
		if kept, err := db.ListInboundMail(admin, store.InboundFilter{Status: store.InboundTriage}); err != nil || len(kept) > 0 {
			t.Errorf("demo mail left in the triage queue: %d (%v)", len(kept), err)
		}
	})
}

// TestGenerateMailDeterministic generates twice with the same seed through the intake: the same
// tickets, and byte for byte the same mails.
func TestGenerateMailDeterministic(t *testing.T) {
	digest := func() string {
		db := storetest.Open(t, store.SQLite)
		generateWithMail(t, db, 7, 60)
		var out strings.Builder
		for _, tk := range allTickets(t, db) {
			fmt.Fprintln(&out, tk.Key, tk.CustomerCode, tk.Subject, tk.Severity, tk.Category, tk.Status, tk.Level, tk.Channel,
				tk.CreatedAt.UnixMilli(), tk.UpdatedAt.UnixMilli(), tk.ReopenCount)
		}
		for before := int64(0); ; {
			ins, err := db.ListInboundMail(admin, store.InboundFilter{BeforeID: before, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				fmt.Fprintln(&out, in.MessageID, in.RawSHA256, in.Status, in.TicketKey)
				before = in.ID
			}
			if len(ins) < 500 {
				return out.String()
			}
		}
	}
	a, b := digest(), digest()
	if a != b {
		t.Errorf("seed 7 twice gave different desks or mails")
	}
	if !strings.Contains(a, "@mail.") {
		t.Errorf("no mail in the digest:\n%s", a)
	}
}
