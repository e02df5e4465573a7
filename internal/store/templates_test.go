package store_test

import (
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestMailTemplates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		tpl := &store.MailTemplate{Kind: "ack", Lang: opsdesk.LangFR, Subject: "s1", Text: "t1", HTML: "h1"}
		wantKind(t, db.SaveMailTemplate(as(f.ops), tpl), opsdesk.KindForbidden)
		wantKind(t, db.SaveMailTemplate(as(f.adm), &store.MailTemplate{Kind: "ack", Lang: "de"}), opsdesk.KindInvalid)
		_, err := db.MailTemplate(as(f.agent), "ack", opsdesk.LangFR)
		wantKind(t, err, opsdesk.KindNotFound)
		if err := db.SaveMailTemplate(as(f.adm), tpl); err != nil {
			t.Fatal(err)
		}
		tpl.Subject = "s2" // saving again replaces
		if err := db.SaveMailTemplate(as(f.adm), tpl); err != nil {
			t.Fatal(err)
		}
		got, err := db.MailTemplate(as(f.agent), "ack", opsdesk.LangFR)
		if err != nil || got.Subject != "s2" || got.Text != "t1" || got.UpdatedBy != f.adm.Email || got.UpdatedAt.IsZero() {
			t.Fatalf("template = %+v, %v", got, err)
		}
		_, err = db.MailTemplate(as(f.custA), "ack", opsdesk.LangFR)
		wantKind(t, err, opsdesk.KindForbidden)
		if list, err := db.ListMailTemplates(as(f.adm)); err != nil || len(list) != 1 {
			t.Fatalf("list = %d, %v", len(list), err)
		}
		wantKind(t, db.DeleteMailTemplate(as(f.ops), "ack", opsdesk.LangFR), opsdesk.KindForbidden)
		if err := db.DeleteMailTemplate(as(f.adm), "ack", opsdesk.LangFR); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.DeleteMailTemplate(as(f.adm), "ack", opsdesk.LangFR), opsdesk.KindNotFound)
	})
}
