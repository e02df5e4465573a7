package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestCreateArticle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		a, err := db.CreateArticle(as(f.agent), &opsdesk.NewArticle{Kind: opsdesk.ArticleProcedure, Visibility: opsdesk.VisibleRestricted,
			Customers: []string{"globex", "ACME"}, Category: "Database", Tags: []string{" Backup ", "restore", "backup"},
			Texts: []opsdesk.ArticleText{
				{Lang: opsdesk.LangEN, Title: " Restore a backup ", Body: "Use the **latest** dump.", Steps: []opsdesk.Step{
					{Instruction: "Stop the service", Expected: "No connection left"}, {Instruction: "Load the dump"}}},
				{Lang: opsdesk.LangFR, Title: "Restaurer une sauvegarde", Body: "Utiliser le dernier export.", Steps: []opsdesk.Step{
					{Instruction: "Arrêter le service"}}},
			}, Note: "first version"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != opsdesk.ArticleDraft || a.Kind != opsdesk.ArticleProcedure || a.Version != 1 || a.Category != "database" ||
			!slices.Equal(a.Tags, []string{"backup", "restore"}) || !slices.Equal(a.Customers, []string{"ACME", "GLOBEX"}) ||
			a.CreatedBy != f.agent.Email || a.CreatedByID != f.agent.ID || !a.PublishedAt.IsZero() {
			t.Fatalf("article = %+v", a)
		}
		if len(a.Texts) != 2 || a.Texts[0].Lang != opsdesk.LangFR || a.Texts[1].Title != "Restore a backup" {
			t.Fatalf("texts = %+v (want French first)", a.Texts)
		}
		steps := a.Text(opsdesk.LangEN).Steps
		if len(steps) != 2 || steps[0] != (opsdesk.Step{Position: 1, Instruction: "Stop the service", Expected: "No connection left"}) ||
			steps[1].Position != 2 {
			t.Fatalf("steps = %+v", steps)
		}
		if got, err := db.ArticleSteps(as(f.agent), a.ID, opsdesk.LangFR); err != nil || len(got) != 1 || got[0].Instruction != "Arrêter le service" {
			t.Fatalf("French steps = %+v, %v", got, err)
		}
		revs, err := db.ArticleRevisions(as(f.agent), a.ID)
		if err != nil || len(revs) != 2 || revs[0].Number != 2 || revs[1].Number != 1 || revs[0].Note != "first version" || revs[0].Author != f.agent.Email {
			t.Fatalf("revisions = %+v, %v", revs, err)
		}
		log, err := db.ListAudit(as(f.ops), opsdesk.AuditFilter{Entity: "article", EntityID: a.ID})
		if err != nil || len(log) != 1 || log[0].Action != "create" {
			t.Fatalf("audit = %+v, %v", log, err)
		}

		bad := []struct {
			name  string
			ctx   context.Context
			n     opsdesk.NewArticle
			kind  opsdesk.Kind
			field string
		}{
			{"customer", as(f.custA), opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindForbidden, ""},
			{"anonymous", context.Background(), opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindAuth, ""},
			{"no text", as(f.agent), opsdesk.NewArticle{}, opsdesk.KindInvalid, "texts"},
			{"no title", as(f.agent), opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr(" ", "b")}}, opsdesk.KindInvalid, "title"},
			{"bad lang", as(f.agent), opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: "de", Title: "t"}}}, opsdesk.KindInvalid, "lang"},
			{"same lang twice", as(f.agent), opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("a", ""), fr("b", "")}}, opsdesk.KindInvalid, "lang"},
			{"bad kind", as(f.agent), opsdesk.NewArticle{Kind: "faq", Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindInvalid, "kind"},
			{"restricted to nobody", as(f.agent), opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted, Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindInvalid, "customers"},
			{"customers without restriction", as(f.agent), opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Customers: []string{"ACME"}, Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindInvalid, "customers"},
			{"unknown customer", as(f.agent), opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted, Customers: []string{"NOPE"}, Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindInvalid, "customers"},
			{"unknown category", as(f.agent), opsdesk.NewArticle{Category: "hr", Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindInvalid, "category"},
			{"steps on an article", as(f.agent), opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangFR, Title: "t", Steps: []opsdesk.Step{{Instruction: "x"}}}}}, opsdesk.KindInvalid, "steps"},
			{"empty step", as(f.agent), opsdesk.NewArticle{Kind: opsdesk.ArticleProcedure, Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangFR, Title: "t", Steps: []opsdesk.Step{{Expected: "x"}}}}}, opsdesk.KindInvalid, "steps"},
			{"tag with comma", as(f.agent), opsdesk.NewArticle{Tags: []string{"a,b"}, Texts: []opsdesk.ArticleText{fr("t", "b")}}, opsdesk.KindInvalid, "tags"},
		}
		for _, c := range bad {
			_, err := db.CreateArticle(c.ctx, &c.n)
			if opsdesk.ErrorKind(err) != c.kind || opsdesk.ErrorField(err) != c.field {
				t.Errorf("%s: %v (kind %q, field %q), want %q on %q", c.name, err, opsdesk.ErrorKind(err), opsdesk.ErrorField(err), c.kind, c.field)
			}
		}
	})
}

func TestArticleVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		mk := func(v opsdesk.Visibility, custs []string, title string, published bool) *opsdesk.Article {
			a := newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: v, Customers: custs, Texts: []opsdesk.ArticleText{fr(title, "corps")}})
			if published {
				a = publish(t, db, f.fixture, a)
			}
			return a
		}
		pub := mk(opsdesk.VisibleCustomers, nil, "public", true)
		forA := mk(opsdesk.VisibleRestricted, []string{"ACME"}, "pour Acme", true)
		forB := mk(opsdesk.VisibleRestricted, []string{"GLOBEX"}, "pour Globex", true)
		forAB := mk(opsdesk.VisibleRestricted, []string{"ACME", "GLOBEX"}, "pour les deux", true)
		internal := mk(opsdesk.VisibleInternal, nil, "interne", true)
		draft := mk(opsdesk.VisibleCustomers, nil, "brouillon", false)
		inReview := mk(opsdesk.VisibleCustomers, nil, "en revue", false)
		if _, err := db.SetArticleStatus(as(f.agent), inReview.ID, opsdesk.ArticleReview, inReview.Version, ""); err != nil {
			t.Fatal(err)
		}
		everything := []*opsdesk.Article{pub, forA, forB, forAB, internal, draft, inReview}
		for _, c := range []struct {
			who  string
			ctx  context.Context
			want []*opsdesk.Article
		}{
			{"agent", as(f.agent), everything},
			{"project manager", as(f.pm), everything},
			{"ops manager", as(f.ops), everything},
			{"customer A", as(f.custA), []*opsdesk.Article{pub, forA, forAB}},
			{"customer B", as(f.custB), []*opsdesk.Article{pub, forB, forAB}},
		} {
			for _, a := range everything {
				got, err := db.ArticleByID(c.ctx, a.ID)
				if slices.Contains(c.want, a) {
					if err != nil || got.ID != a.ID {
						t.Errorf("%s: article %q: %v", c.who, a.Texts[0].Title, err)
					}
					if err == nil && opsdesk.ActorFrom(c.ctx).IsCustomer() && len(got.Customers) != 0 {
						t.Errorf("%s: article %q shows its customers %v", c.who, a.Texts[0].Title, got.Customers)
					}
				} else if opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
					t.Errorf("%s: article %q: %v, want not found", c.who, a.Texts[0].Title, err)
				}
			}
			// The titles read in one go follow the same rule.
			titles, err := db.ArticleTitles(c.ctx, append(ids(everything), 999_999))
			if err != nil || !sameIDs(ids(titles), ids(c.want)) {
				t.Errorf("%s: titles = %v, %v, want %v", c.who, ids(titles), err, ids(c.want))
			}
			for _, got := range titles {
				if len(got.Texts) == 0 || got.Texts[0].Title == "" || got.Texts[0].Body != "" {
					t.Errorf("%s: titles of %d = %+v, want the title without the body", c.who, got.ID, got.Texts)
				}
			}
			list, next, err := db.ListArticles(c.ctx, opsdesk.ArticleFilter{})
			if err != nil || next != "" {
				t.Fatalf("%s: list: %v, %q", c.who, err, next)
			}
			if got, want := ids(list), ids(c.want); !sameIDs(got, want) {
				t.Errorf("%s: list = %v, want %v", c.who, got, want)
			}
			// A customer asking for drafts gets none, not an error.
			list, _, err = db.ListArticles(c.ctx, opsdesk.ArticleFilter{Status: opsdesk.ArticleDraft})
			if opsdesk.ActorFrom(c.ctx).IsCustomer() && (err != nil || len(list) != 0) {
				t.Errorf("%s: drafts = %v, %v", c.who, ids(list), err)
			}
		}
		if _, err := db.ArticleByID(context.Background(), pub.ID); opsdesk.ErrorKind(err) != opsdesk.KindAuth {
			t.Errorf("anonymous read: %v", err)
		}
		if _, err := db.ArticleTitles(context.Background(), []int64{pub.ID}); opsdesk.ErrorKind(err) != opsdesk.KindAuth {
			t.Errorf("anonymous titles: %v", err)
		}
		// Revisions are for staff.
		if _, err := db.ArticleRevisions(as(f.custA), pub.ID); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Errorf("customer reads revisions: %v", err)
		}
	})
}

func ids(as []*opsdesk.Article) []int64 {
	out := []int64{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func sameIDs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestListArticlesFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var all []*opsdesk.Article
		for i, n := range []opsdesk.NewArticle{
			{Category: "database", Tags: []string{"backup"}, Texts: []opsdesk.ArticleText{fr("a", "")}},
			{Category: "database", Tags: []string{"restore"}, Texts: []opsdesk.ArticleText{en("b", "")}},
			{Kind: opsdesk.ArticleProcedure, Category: "mobile", Tags: []string{"backup", "ios"}, Texts: []opsdesk.ArticleText{fr("c", ""), en("c", "")}},
			{Texts: []opsdesk.ArticleText{en("d", "")}},
			{Texts: []opsdesk.ArticleText{fr("e", "")}},
		} {
			db.Now = func() time.Time { return base.Add(time.Duration(i) * time.Minute) }
			all = append(all, newArticle(t, db, f.fixture, n))
		}
		db.Now = func() time.Time { return base.Add(time.Hour) }
		publish(t, db, f.fixture, all[0])
		for _, c := range []struct {
			name string
			f    opsdesk.ArticleFilter
			want []*opsdesk.Article // in order
		}{
			{"all, newest first", opsdesk.ArticleFilter{}, []*opsdesk.Article{all[0], all[4], all[3], all[2], all[1]}},
			{"category", opsdesk.ArticleFilter{Category: "Database"}, []*opsdesk.Article{all[0], all[1]}},
			{"tag", opsdesk.ArticleFilter{Tag: "backup"}, []*opsdesk.Article{all[0], all[2]}},
			{"kind", opsdesk.ArticleFilter{Kind: opsdesk.ArticleProcedure}, []*opsdesk.Article{all[2]}},
			{"lang", opsdesk.ArticleFilter{Lang: opsdesk.LangEN}, []*opsdesk.Article{all[3], all[2], all[1]}},
			{"status", opsdesk.ArticleFilter{Status: opsdesk.ArticlePublished}, []*opsdesk.Article{all[0]}},
			{"draft", opsdesk.ArticleFilter{Status: opsdesk.ArticleDraft, Tag: "backup"}, []*opsdesk.Article{all[2]}},
		} {
			list, _, err := db.ListArticles(as(f.agent), c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if got, want := ids(list), ids(c.want); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", c.name, got, want)
			}
		}
		// Pages by cursor cover the list once, in order.
		var paged []*opsdesk.Article
		cursor := ""
		for range 10 {
			page, next, err := db.ListArticles(as(f.agent), opsdesk.ArticleFilter{Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page...)
			if cursor = next; cursor == "" {
				break
			}
		}
		if got, want := ids(paged), []int64{all[0].ID, all[4].ID, all[3].ID, all[2].ID, all[1].ID}; !slices.Equal(got, want) {
			t.Errorf("paged = %v, want %v", got, want)
		}
		// Lists carry titles, not bodies.
		list, _, _ := db.ListArticles(as(f.agent), opsdesk.ArticleFilter{Kind: opsdesk.ArticleProcedure})
		if len(list) != 1 || list[0].Texts[0].Title != "c" {
			t.Errorf("list texts = %+v", list)
		}
		for _, bad := range []opsdesk.ArticleFilter{{Limit: 201}, {Status: "old"}, {Kind: "faq"}, {Lang: "de"}, {Cursor: "!!"}} {
			_, _, err := db.ListArticles(as(f.agent), bad)
			wantKind(t, err, opsdesk.KindInvalid)
		}
	})
}
