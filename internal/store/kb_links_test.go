package store_test

import (
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestArticleLinksAndUsage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		t1 := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "a", Description: "a"})
		t2 := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "b", Description: "b"})
		t3 := file(t, db, as(f.custB), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "c", Description: "c"})
		pub := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{fr("Public FR", ""), en("Public EN", "")}}))
		internal := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("Interne", "")}})
		ctx := as(f.agent)
		for _, l := range []struct {
			key string
			id  int64
		}{{t1.Key, pub.ID}, {t2.Key, pub.ID}, {t3.Key, pub.ID}, {t1.Key, internal.ID}, {t1.Key, pub.ID}} { // the last is a repeat
			if err := db.LinkArticle(ctx, l.key, l.id); err != nil {
				t.Fatalf("link %s %d: %v", l.key, l.id, err)
			}
		}
		u, err := db.ArticleUsage(ctx, pub.ID, opsdesk.LangEN)
		if err != nil || u.LinkedTickets != 3 || u.Title != "Public EN" {
			t.Fatalf("usage = %+v, %v; want 3 tickets (the repeat counts once)", u, err)
		}
		if a, _ := db.ArticleByID(ctx, pub.ID); a.LinkedTickets != 3 {
			t.Errorf("article counts %d linked tickets", a.LinkedTickets)
		}
		top, err := db.TopArticles(ctx, opsdesk.LangFR, 10)
		if err != nil || len(top) != 2 || top[0].ArticleID != pub.ID || top[0].Title != "Public FR" || top[1].LinkedTickets != 1 {
			t.Fatalf("top = %+v, %v", top, err)
		}
		// Staff see every link; the customer sees only the articles they may read.
		links, err := db.TicketArticles(ctx, t1.Key, opsdesk.LangEN)
		if err != nil || len(links) != 2 {
			t.Fatalf("staff links = %+v, %v", links, err)
		}
		links, err = db.TicketArticles(as(f.custA), t1.Key, opsdesk.LangEN)
		if err != nil || len(links) != 1 || links[0].ArticleID != pub.ID || links[0].Title != "Public EN" || links[0].LinkedBy != f.agent.Email {
			t.Fatalf("customer links = %+v, %v", links, err)
		}
		if _, err := db.TicketArticles(as(f.custB), t1.Key, ""); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Errorf("other customer's ticket links: %v", err)
		}
		// The history says so, to staff only.
		hist, _ := db.History(ctx, t1.Key)
		if n := countEvents(hist, opsdesk.EventArticleLinked); n != 2 {
			t.Errorf("%d link events in staff history, want 2", n)
		}
		hist, _ = db.History(as(f.custA), t1.Key)
		if n := countEvents(hist, opsdesk.EventArticleLinked); n != 0 {
			t.Errorf("customer sees %d link events", n)
		}
		// Unlinking.
		if err := db.UnlinkArticle(ctx, t2.Key, pub.ID); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.UnlinkArticle(ctx, t2.Key, pub.ID), opsdesk.KindNotFound)
		if u, _ := db.ArticleUsage(ctx, pub.ID, ""); u.LinkedTickets != 2 {
			t.Errorf("after unlink: %d", u.LinkedTickets)
		}
		// Rules.
		wantKind(t, db.LinkArticle(as(f.custA), t1.Key, pub.ID), opsdesk.KindForbidden)
		wantKind(t, db.LinkArticle(ctx, "OPS-9999", pub.ID), opsdesk.KindNotFound)
		wantKind(t, db.LinkArticle(ctx, t1.Key, 9999), opsdesk.KindNotFound)
		if _, err := db.ArticleUsage(as(f.custA), pub.ID, ""); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Errorf("customer reads usage: %v", err)
		}
	})
}

func countEvents(es []*opsdesk.Event, kind string) int {
	n := 0
	for _, e := range es {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func TestDeflections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		pub := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{fr("Public", "")}}))
		other := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{fr("Autre", "")}}))
		forB := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted,
			Customers: []string{"GLOBEX"}, Texts: []opsdesk.ArticleText{fr("Pour Globex", "")}}))
		draft := newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: []opsdesk.ArticleText{fr("Brouillon", "")}})
		a := as(f.custA)
		for range 3 { // the same visit, reported three times
			if err := db.RecordDeflection(a, pub.ID, "visit-1"); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []struct {
			id  int64
			key string
		}{{pub.ID, "visit-2"}, {other.ID, "visit-2"}, {other.ID, "visit-3"}} {
			if err := db.RecordDeflection(a, r.id, r.key); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			id   int64
			want int
		}{{pub.ID, 2}, {other.ID, 2}, {0, 3}, {forB.ID, 0}} {
			n, err := db.DeflectionCount(as(f.ops), c.id)
			if err != nil || n != c.want {
				t.Errorf("deflections of %d = %d, %v; want %d", c.id, n, err, c.want)
			}
		}
		if u, _ := db.ArticleUsage(as(f.ops), pub.ID, ""); u.Deflections != 2 {
			t.Errorf("usage deflections = %d", u.Deflections)
		}
		// A customer cannot record one for an article they may not read; staff record none.
		wantKind(t, db.RecordDeflection(a, forB.ID, "visit-4"), opsdesk.KindNotFound)
		wantKind(t, db.RecordDeflection(a, draft.ID, "visit-4"), opsdesk.KindNotFound)
		wantKind(t, db.RecordDeflection(as(f.agent), pub.ID, "visit-4"), opsdesk.KindForbidden)
		wantKind(t, db.RecordDeflection(a, pub.ID, " "), opsdesk.KindInvalid)
		if _, err := db.DeflectionCount(a, 0); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Errorf("customer reads deflection counts: %v", err)
		}
		// Only a digest of the visit's key is kept.
		var stored string
		db.SQL().QueryRow(`SELECT session_hash FROM kb_deflections LIMIT 1`).Scan(&stored)
		if len(stored) != 64 || stored == "visit-1" {
			t.Errorf("stored session = %q", stored)
		}
	})
}

func TestTickStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "s", Description: "d"})
		p := newArticle(t, db, f.fixture, opsdesk.NewArticle{Kind: opsdesk.ArticleProcedure, Texts: []opsdesk.ArticleText{
			{Lang: opsdesk.LangFR, Title: "Diagnostic", Steps: []opsdesk.Step{{Instruction: "Lire les journaux"}, {Instruction: "Redémarrer"}}}}})
		plain := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("Article", "")}})
		if err := db.TickStep(as(f.agent), tk.Key, p.ID, opsdesk.LangFR, 2, "redémarré à 10:02"); err != nil {
			t.Fatal(err)
		}
		hist, _ := db.History(as(f.agent), tk.Key)
		var e *opsdesk.Event
		for _, h := range hist {
			if h.Kind == opsdesk.EventStepDone {
				e = h
			}
		}
		if e == nil || e.New != "Redémarrer" || e.Reason != "redémarré à 10:02" || !e.Internal || e.ActorLabel != f.agent.Email {
			t.Fatalf("step event = %+v", e)
		}
		wantKind(t, db.TickStep(as(f.agent), tk.Key, p.ID, opsdesk.LangFR, 3, ""), opsdesk.KindInvalid)
		wantKind(t, db.TickStep(as(f.agent), tk.Key, p.ID, opsdesk.LangEN, 1, ""), opsdesk.KindInvalid)
		wantKind(t, db.TickStep(as(f.agent), tk.Key, plain.ID, opsdesk.LangFR, 1, ""), opsdesk.KindNotFound)
		wantKind(t, db.TickStep(as(f.custA), tk.Key, p.ID, opsdesk.LangFR, 1, ""), opsdesk.KindForbidden)
	})
}
