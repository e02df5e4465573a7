package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// resolveTicket resolves a ticket as the fixture's agent, with the resolution it needs.
func resolveTicket(t *testing.T, db *store.DB, f *ticketFixture, key string) {
	t.Helper()
	if _, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen)}); err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	_, err := db.UpdateTicket(as(f.agent), key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved),
		Resolution: &opsdesk.Resolution{Summary: "Fixed.", Cause: "defect"}, Reason: "fixed"})
	if err != nil {
		t.Fatalf("resolve %s: %v", key, err)
	}
}

func TestSimilarTickets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		mk := func(ctx context.Context, subject string) *opsdesk.Ticket {
			return file(t, db, ctx, opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: subject, Description: "See subject."})
		}
		current := mk(as(f.custA), "Invoice export fails with a timeout")
		ownDone := mk(as(f.custA), "Invoice export fails on large months")   // 3 words of 4: first
		otherDone := mk(as(f.custB), "Export of the invoices times out")     // invoice, export, timeout: stems
		pairDone := mk(as(f.custB), "The export fails since the upgrade")    // a pair only
		open := mk(as(f.custA), "Invoice export fails with a timeout again") // not resolved: left out
		unrelated := mk(as(f.custA), "Password reset mail never arrives")
		for _, tk := range []*opsdesk.Ticket{ownDone, otherDone, pairDone, unrelated} {
			resolveTicket(t, db, f, tk.Key)
		}

		keys := func(ctx context.Context, key string, limit int) []string {
			t.Helper()
			hits, err := db.SimilarTickets(ctx, key, limit)
			if err != nil {
				t.Fatalf("similar to %s: %v", key, err)
			}
			var out []string
			for _, h := range hits {
				if h.Kind != opsdesk.SearchTickets || len(h.Snippet) == 0 && len(h.Title) == 0 {
					t.Errorf("hit %+v: not a ticket with its highlight", h)
				}
				out = append(out, h.Key)
			}
			return out
		}
		// Staff: every customer's resolved tickets, never the ticket itself nor an open one.
		got := keys(as(f.agent), current.Key, 5)
		for _, want := range []string{ownDone.Key, otherDone.Key, pairDone.Key} {
			if !slices.Contains(got, want) {
				t.Errorf("staff: similar = %v, want %s among them", got, want)
			}
		}
		for _, no := range []string{current.Key, open.Key, unrelated.Key} {
			if slices.Contains(got, no) {
				t.Errorf("staff: similar = %v holds %s", got, no)
			}
		}
		if len(got) > 0 && got[0] != ownDone.Key {
			t.Errorf("staff: the ticket sharing the most words comes first: %v", got)
		}
		if got := keys(as(f.agent), current.Key, 1); len(got) != 1 {
			t.Errorf("limit 1: %v", got)
		}
		// A customer: their organisation's only.
		got = keys(as(f.custA), current.Key, 5)
		if !slices.Equal(got, []string{ownDone.Key}) {
			t.Errorf("customer A: similar = %v, want only %s", got, ownDone.Key)
		}
		if _, err := db.SimilarTickets(as(f.custB), current.Key, 5); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Errorf("customer B on A's ticket: %v", err)
		}
		_, err := db.SimilarTickets(as(f.agent), current.Key, 21)
		wantKind(t, err, opsdesk.KindInvalid)
	})
}

func TestRelatedArticles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		all := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{en("Exporting invoices", "Use the monthly export when it times out.")}}))
		onlyGlobex := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted,
			Customers: []string{"GLOBEX"}, Texts: []opsdesk.ArticleText{en("Globex invoice export", "Globex's own export.")}}))
		internal := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{
			Texts: []opsdesk.ArticleText{en("Invoice export internals", "Restart the exporter.")}}))
		draft := newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{en("Invoice export draft", "Not reviewed.")}})

		ids := func(ctx context.Context, text string) []int64 {
			t.Helper()
			hits, err := db.RelatedArticles(ctx, text, "", 5)
			if err != nil {
				t.Fatalf("related %q: %v", text, err)
			}
			var out []int64
			for _, h := range hits {
				out = append(out, h.ID)
			}
			slices.Sort(out)
			return out
		}
		text := "invoice export is broken"
		if got, want := ids(as(f.agent), text), []int64{all.ID, onlyGlobex.ID, internal.ID, draft.ID}; !slices.Equal(got, want) {
			t.Errorf("staff: %v, want %v", got, want)
		}
		if got, want := ids(as(f.custA), text), []int64{all.ID}; !slices.Equal(got, want) {
			t.Errorf("ACME: %v, want %v (never Globex's, internal or draft)", got, want)
		}
		if got, want := ids(as(f.custB), text), []int64{all.ID, onlyGlobex.ID}; !slices.Equal(got, want) {
			t.Errorf("GLOBEX: %v, want %v", got, want)
		}
		if got := ids(as(f.custA), "the of"); len(got) != 0 {
			t.Errorf("stop words found %v", got)
		}
		_, err := db.RelatedArticles(context.Background(), text, "", 5)
		wantKind(t, err, opsdesk.KindAuth)
	})
}

// TestRelatedArticlesCategory: among articles of equal score, those of the ticket's category
// come first; without a category, the most recent first (Search's order).
func TestRelatedArticlesCategory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		old := newArticle(t, db, f.fixture, opsdesk.NewArticle{Category: "application",
			Texts: []opsdesk.ArticleText{en("Printer offline", "Check the cable.")}})
		recent := newArticle(t, db, f.fixture, opsdesk.NewArticle{
			Texts: []opsdesk.ArticleText{en("Printer offline", "Check the cable.")}})
		for _, c := range []struct {
			category string
			want     []int64
		}{
			{"", []int64{recent.ID, old.ID}},
			{"application", []int64{old.ID, recent.ID}},
			{"network", []int64{recent.ID, old.ID}},
		} {
			hits, err := db.RelatedArticles(as(f.agent), "printer offline", c.category, 5)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, h := range hits {
				got = append(got, h.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("category %q: %v, want %v", c.category, got, c.want)
			}
			hits, err = db.RelatedArticles(as(f.agent), "printer offline", c.category, 1)
			if err != nil || len(hits) != 1 || hits[0].ID != c.want[0] {
				t.Errorf("category %q, limit 1: %+v, %v; want %d", c.category, hits, err, c.want[0])
			}
		}
	})
}

func TestCancelDeflections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		a1 := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{en("One", "")}}))
		a2 := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{en("Two", "")}}))
		rec := func(ctx context.Context, id int64, visit string) {
			t.Helper()
			if err := db.RecordDeflection(ctx, id, visit); err != nil {
				t.Fatal(err)
			}
		}
		rec(as(f.custA), a1.ID, "visit-a")
		rec(as(f.custA), a2.ID, "visit-a")
		rec(as(f.custA), a1.ID, "visit-a2")
		rec(as(f.custB), a1.ID, "visit-b")
		count := func() int {
			n, err := db.DeflectionCount(as(f.agent), 0)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != 3 {
			t.Fatalf("visits deflected = %d, want 3", n)
		}
		// Another customer cannot cancel A's visit, even knowing its key.
		if n, err := db.CancelDeflections(as(f.custB), "visit-a"); err != nil || n != 0 {
			t.Errorf("B cancels A's visit: %d, %v", n, err)
		}
		if n, err := db.CancelDeflections(as(f.custA), " visit-a "); err != nil || n != 2 {
			t.Errorf("A cancels its visit: %d, %v; want its 2 records", n, err)
		}
		if n := count(); n != 2 {
			t.Errorf("visits deflected after the filing = %d, want 2", n)
		}
		if n, err := db.CancelDeflections(as(f.custA), "visit-a"); err != nil || n != 0 {
			t.Errorf("again: %d, %v", n, err)
		}
		for _, c := range []struct {
			ctx   context.Context
			visit string
			kind  opsdesk.Kind
		}{
			{as(f.agent), "visit-b", opsdesk.KindForbidden},
			{as(f.custA), "  ", opsdesk.KindInvalid},
			{as(f.custA), string(make([]byte, 513)), opsdesk.KindInvalid},
			{context.Background(), "visit-b", opsdesk.KindAuth},
		} {
			_, err := db.CancelDeflections(c.ctx, c.visit)
			wantKind(t, err, c.kind)
			if c.kind == opsdesk.KindInvalid && opsdesk.ErrorField(err) != "session" {
				t.Errorf("field = %q, want session", opsdesk.ErrorField(err))
			}
		}
		if n := count(); n != 2 {
			t.Errorf("refused cancels removed something: %d", n)
		}
	})
}
