package store_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestTicketTagsAndSubjects(t *testing.T) {
	tags := []struct {
		subject string
		want    []string
	}{
		{"RE: [OPS-1042] Login", []string{"OPS-1042"}},
		{"AW: [ ops - 7 ] x [OPS-8]", []string{"OPS-7", "OPS-8"}},
		{"[EXT] TR: Re: [OPS-0012] y", []string{"OPS-12"}},
		{"[OPSX-1] [OPS-] OPS-3 no tag", nil},
	}
	for _, c := range tags {
		if got := store.TicketTags("OPS", c.subject); !reflect.DeepEqual(got, c.want) {
			t.Errorf("TicketTags(%q) = %v, want %v", c.subject, got, c.want)
		}
	}
	subjects := []struct{ in, want string }{
		{"RE: [OPS-1042] Login broken", "Login broken"},
		{"AW: AW: WG: Export", "Export"},
		{"Re[2]: TR : Réf : [OPS-1] Price", "Price"},
		{"Fwd: FW: Réponse", "Réponse"},
		{"Reminder: renewal", "Reminder: renewal"},
	}
	for _, c := range subjects {
		if got := store.CleanSubject("OPS", c.in, true); got != c.want {
			t.Errorf("CleanSubject(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := store.CleanSubject("OPS", "RE: [OPS-1] a", false); got != "RE: a" {
		t.Errorf("without replies: %q", got)
	}
	if k := store.DedupKey("", "abc"); k != "sha256:abc" {
		t.Errorf("dedup key without Message-ID = %q", k)
	}
}

func TestMailboxes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		mb := &store.Mailbox{Name: "Support", Host: "imap.vendor.example", Username: "support@vendor.example", Password: "secret",
			Category: "application", Severity: "major", Action: "move", MoveTo: "Done", UseIDLE: true, Active: true}
		if err := db.SaveMailbox(admin, mb); err != nil {
			t.Fatal(err)
		}
		if mb.ID == 0 || mb.Name != "support" || mb.Port != 993 || mb.Security != "tls" || mb.Folder != "INBOX" || mb.PollSeconds != 60 {
			t.Fatalf("defaults = %+v", mb)
		}
		got, err := db.Mailbox(admin, "SUPPORT")
		if err != nil || got.Password != "secret" || got.MoveTo != "Done" || !got.UseIDLE || got.Severity != "major" {
			t.Fatalf("mailbox = %+v %v", got, err)
		}
		got.Security, got.Port, got.Action = "none", 1143, "seen"
		if err := db.SaveMailbox(admin, got); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordMailboxPoll(admin, got.ID, errors.New("login failed")); err != nil {
			t.Fatal(err)
		}
		got, _ = db.Mailbox(admin, "support")
		if got.Port != 1143 || got.Security != "none" || got.LastError != "login failed" || got.LastPollAt.IsZero() || got.LastErrorAt.IsZero() {
			t.Fatalf("after update and poll: %+v", got)
		}
		db.RecordMailboxPoll(admin, got.ID, nil)
		if got, _ = db.Mailbox(admin, "support"); got.LastError != "" || !got.LastErrorAt.IsZero() {
			t.Fatalf("a good poll clears the error: %+v", got)
		}
		bad := []struct {
			ctx   *opsdesk.User
			m     store.Mailbox
			kind  opsdesk.Kind
			field string
		}{
			{f.adm, store.Mailbox{Name: "support", Host: "h", Username: "u"}, opsdesk.KindConflict, "name"},
			{f.adm, store.Mailbox{Name: "Bad Name", Host: "h", Username: "u"}, opsdesk.KindInvalid, "name"},
			{f.adm, store.Mailbox{Name: "x", Host: "h", Username: "u", Security: "ssl"}, opsdesk.KindInvalid, "security"},
			{f.adm, store.Mailbox{Name: "x", Host: "h", Username: "u", Action: "move"}, opsdesk.KindInvalid, "move_to"},
			{f.adm, store.Mailbox{Name: "x"}, opsdesk.KindInvalid, "host"},
			{f.adm, store.Mailbox{Name: "x", Host: "h", Username: "u", Severity: "urgent"}, opsdesk.KindInvalid, "severity"},
			{f.ops, store.Mailbox{Name: "x", Host: "h", Username: "u"}, opsdesk.KindForbidden, ""},
		}
		for _, c := range bad {
			err := db.SaveMailbox(as(c.ctx), &c.m)
			if opsdesk.ErrorKind(err) != c.kind || opsdesk.ErrorField(err) != c.field {
				t.Errorf("%+v: %v, want %s on %q", c.m, err, c.kind, c.field)
			}
		}
		smtp := &store.Mailbox{Name: "smtp", Category: "database"}
		if err := db.SaveMailbox(admin, smtp); err != nil {
			t.Fatalf("the listener's defaults row needs no host: %v", err)
		}
		list, err := db.ListMailboxes(admin)
		if err != nil || len(list) != 2 || list[0].Name != "smtp" {
			t.Fatalf("list = %+v %v", list, err)
		}
		if _, err := db.ListMailboxes(as(f.custA)); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Fatalf("customer lists mailboxes: %v", err)
		}
		if err := db.DeleteMailbox(admin, smtp.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Mailbox(admin, "smtp"); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			t.Fatalf("deleted mailbox: %v", err)
		}
	})
}

func TestReopenClosedTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		if _, err := db.ReopenClosedTicket(admin, tk.Key, "mail"); !opsdesk.IsKind(err, opsdesk.KindConflict) {
			t.Fatalf("reopening a new ticket: %v", err)
		}
		for _, s := range []opsdesk.Status{opsdesk.StatusOpen, opsdesk.StatusResolved, opsdesk.StatusClosed} {
			if _, err := db.UpdateTicket(admin, tk.Key, opsdesk.TicketPatch{Status: &s, Resolution: resolutionFor(s)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ReopenClosedTicket(as(f.adm), tk.Key, "because"); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Fatalf("a user reopens a closed ticket: %v", err)
		}
		if _, err := db.ReopenClosedTicket(admin, tk.Key, " "); !opsdesk.IsKind(err, opsdesk.KindInvalid) {
			t.Fatalf("without reason: %v", err)
		}
		got, err := db.ReopenClosedTicket(admin, tk.Key, "the customer replied by mail")
		if err != nil || got.Status != opsdesk.StatusOpen || !got.ClosedAt.IsZero() || !got.ResolvedAt.IsZero() || got.ReopenCount != 1 {
			t.Fatalf("reopened = %+v %v", got, err)
		}
	})
}
