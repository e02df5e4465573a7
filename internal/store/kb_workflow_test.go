package store_test

import (
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestArticleWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		a := newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers, Texts: []opsdesk.ArticleText{fr("Titre", "Corps")}})
		step := func(who *opsdesk.User, to opsdesk.ArticleStatus, want opsdesk.Kind) {
			t.Helper()
			got, err := db.SetArticleStatus(as(who), a.ID, to, a.Version, "")
			if opsdesk.ErrorKind(err) != want {
				t.Fatalf("%s → %s by %s: %v, want %q", a.Status, to, who.Role, err, want)
			}
			if err == nil {
				if got.Status != to || got.Version != a.Version+1 {
					t.Fatalf("after %s: status %s version %d (was %d)", to, got.Status, got.Version, a.Version)
				}
				a = got
			}
		}
		// Draft: agents submit; nobody publishes straight from draft.
		step(f.custA, opsdesk.ArticleReview, opsdesk.KindForbidden)
		step(f.ops, opsdesk.ArticlePublished, opsdesk.KindConflict)
		step(f.agent, opsdesk.ArticleDraft, opsdesk.KindConflict)
		step(f.agent, "archived", opsdesk.KindInvalid)
		step(f.agent, opsdesk.ArticleReview, "")
		// Review: agents and project managers do not publish; a manager sends it back or publishes.
		step(f.agent, opsdesk.ArticlePublished, opsdesk.KindForbidden)
		step(f.pm, opsdesk.ArticlePublished, opsdesk.KindForbidden)
		step(f.ops, opsdesk.ArticleDraft, "") // rejected
		step(f.pm, opsdesk.ArticleReview, "")
		if _, err := db.ArticleByID(as(f.custA), a.ID); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Fatalf("customer reads an article in review: %v", err)
		}
		step(f.adm, opsdesk.ArticlePublished, "")
		if a.PublishedAt.IsZero() {
			t.Error("published_at not set")
		}
		if _, err := db.ArticleByID(as(f.custA), a.ID); err != nil {
			t.Fatalf("customer reads the published article: %v", err)
		}
		// Published: agents may neither withdraw nor edit it; managers may.
		step(f.agent, opsdesk.ArticleDraft, opsdesk.KindForbidden)
		step(f.ops, opsdesk.ArticleReview, opsdesk.KindConflict)
		_, err := db.UpdateArticle(as(f.agent), a.ID, &opsdesk.ArticlePatch{Version: a.Version, Texts: []opsdesk.TextPatch{{Lang: opsdesk.LangFR, Body: ptr("changé")}}})
		wantKind(t, err, opsdesk.KindForbidden)
		a, err = db.UpdateArticle(as(f.ops), a.ID, &opsdesk.ArticlePatch{Version: a.Version, Texts: []opsdesk.TextPatch{{Lang: opsdesk.LangFR, Body: ptr("Corps corrigé")}}})
		if err != nil || a.Status != opsdesk.ArticlePublished || a.Texts[0].Body != "Corps corrigé" {
			t.Fatalf("manager edit: %+v, %v", a, err)
		}
		step(f.ops, opsdesk.ArticleDraft, "") // withdrawn
		if _, err := db.ArticleByID(as(f.custA), a.ID); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Fatalf("customer reads a withdrawn article: %v", err)
		}
		// A stale version is a conflict, even for a legal move.
		_, err = db.SetArticleStatus(as(f.agent), a.ID, opsdesk.ArticleReview, a.Version-1, "")
		wantKind(t, err, opsdesk.KindConflict)
		// Every move is in the audit log, with its note.
		if _, err := db.SetArticleStatus(as(f.agent), a.ID, opsdesk.ArticleReview, a.Version, "ready again"); err != nil {
			t.Fatal(err)
		}
		log, err := db.ListAudit(as(f.adm), opsdesk.AuditFilter{Entity: "article", EntityID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var moves []string
		for _, e := range log {
			if e.Action == "status" {
				moves = append(moves, e.Changes[0].Old+"→"+e.Changes[0].New)
			}
		}
		want := []string{"draft→review", "published→draft", "review→published", "draft→review", "review→draft", "draft→review"}
		if !slices.Equal(moves, want) {
			t.Errorf("audited moves (newest first) = %v, want %v", moves, want)
		}
		if last := log[0]; len(last.Changes) != 2 || last.Changes[1] != (opsdesk.Change{Field: "note", New: "ready again"}) {
			t.Errorf("last entry = %+v", last)
		}
	})
}

func TestProcedurePublishNeedsSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		p := newArticle(t, db, f.fixture, opsdesk.NewArticle{Kind: opsdesk.ArticleProcedure, Texts: []opsdesk.ArticleText{fr("Procédure", "")}})
		p, err := db.SetArticleStatus(as(f.agent), p.ID, opsdesk.ArticleReview, p.Version, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SetArticleStatus(as(f.ops), p.ID, opsdesk.ArticlePublished, p.Version, "")
		if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || opsdesk.ErrorField(err) != "steps" {
			t.Fatalf("publishing a procedure without steps: %v", err)
		}
		p, err = db.SetArticleSteps(as(f.agent), p.ID, opsdesk.LangFR, p.Version, []opsdesk.Step{
			{Instruction: "Vérifier le disque", Expected: "Moins de 80 %"}, {Instruction: "Purger /tmp"}}, "steps")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetArticleStatus(as(f.ops), p.ID, opsdesk.ArticlePublished, p.Version, ""); err != nil {
			t.Fatalf("publishing with steps: %v", err)
		}
		got, err := db.ArticleSteps(as(f.agent), p.ID, opsdesk.LangFR)
		if err != nil || len(got) != 2 || got[1] != (opsdesk.Step{Position: 2, Instruction: "Purger /tmp"}) {
			t.Fatalf("steps = %+v, %v", got, err)
		}
		if _, err := db.ArticleSteps(as(f.agent), p.ID, opsdesk.LangEN); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Errorf("steps of a missing language: %v", err)
		}
	})
}

func TestUpdateArticleRevisionsAndDiff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		a := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{
			fr("Vider le cache", "Étape un.\nÉtape deux.\nÉtape trois.")}})
		ctx := as(f.agent)
		// A change of settings only writes no revision.
		a, err := db.UpdateArticle(ctx, a.ID, &opsdesk.ArticlePatch{Version: a.Version, Tags: &[]string{"Cache"},
			Visibility: ptr(opsdesk.VisibleRestricted), Customers: &[]string{"acme"}})
		if err != nil || !slices.Equal(a.Tags, []string{"cache"}) || a.Visibility != opsdesk.VisibleRestricted ||
			!slices.Equal(a.Customers, []string{"ACME"}) || a.Version != 2 {
			t.Fatalf("settings: %+v, %v", a, err)
		}
		// The same text again changes nothing and writes no revision.
		same, err := db.UpdateArticle(ctx, a.ID, &opsdesk.ArticlePatch{Version: a.Version, Texts: []opsdesk.TextPatch{{Lang: opsdesk.LangFR, Title: ptr("Vider le cache")}}})
		if err != nil || same.Version != a.Version {
			t.Fatalf("no-op text: version %d → %d, %v", a.Version, same.Version, err)
		}
		// A body change and a new English text: two revisions, by the editor, with the note.
		a, err = db.UpdateArticle(as(f.pm), a.ID, &opsdesk.ArticlePatch{Version: a.Version, Note: "clearer", Texts: []opsdesk.TextPatch{
			{Lang: opsdesk.LangFR, Body: ptr("Étape un.\nÉtape deux bis.\nÉtape trois.\nÉtape quatre.")},
			{Lang: opsdesk.LangEN, Title: ptr("Clear the cache"), Body: ptr("Step one.")},
		}})
		if err != nil || len(a.Texts) != 2 || a.Text(opsdesk.LangFR).Revision != 2 || a.Text(opsdesk.LangEN).Revision != 3 ||
			a.Text(opsdesk.LangFR).UpdatedBy != f.pm.Email {
			t.Fatalf("texts: %+v, %v", a.Texts, err)
		}
		revs, err := db.ArticleRevisions(ctx, a.ID)
		if err != nil || len(revs) != 3 || revs[0].Lang != opsdesk.LangEN || revs[1].Note != "clearer" || revs[1].Author != f.pm.Email || revs[2].Note != "" {
			t.Fatalf("revisions = %+v, %v", revs, err)
		}
		diff, err := db.ArticleDiff(ctx, a.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := []opsdesk.DiffLine{
			{Op: "=", Text: "# Vider le cache"}, {Op: "=", Text: ""}, {Op: "=", Text: "Étape un."},
			{Op: "-", Text: "Étape deux."}, {Op: "+", Text: "Étape deux bis."},
			{Op: "=", Text: "Étape trois."}, {Op: "+", Text: "Étape quatre."},
		}
		if !slices.Equal(diff, want) {
			t.Errorf("diff 1→2 =\n%v\nwant\n%v", diff, want)
		}
		if _, err := db.ArticleDiff(ctx, a.ID, 1, 9); opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
			t.Errorf("diff with a missing revision: %v", err)
		}
		// Stale version: conflict, and nothing written.
		_, err = db.UpdateArticle(ctx, a.ID, &opsdesk.ArticlePatch{Version: a.Version - 1, Tags: &[]string{"x"}})
		wantKind(t, err, opsdesk.KindConflict)
		// Removing a language keeps its revisions; the last text cannot go.
		a, err = db.UpdateArticle(ctx, a.ID, &opsdesk.ArticlePatch{Version: a.Version, RemoveLang: opsdesk.LangEN})
		if err != nil || len(a.Texts) != 1 {
			t.Fatalf("remove English: %+v, %v", a, err)
		}
		_, err = db.UpdateArticle(ctx, a.ID, &opsdesk.ArticlePatch{Version: a.Version, RemoveLang: opsdesk.LangFR})
		wantKind(t, err, opsdesk.KindInvalid)
		if revs, _ := db.ArticleRevisions(ctx, a.ID); len(revs) != 3 {
			t.Errorf("revisions after removal: %d", len(revs))
		}
		// Bad patches.
		for name, p := range map[string]*opsdesk.ArticlePatch{
			"no version":         {Tags: &[]string{"x"}},
			"new text, no title": {Version: a.Version, Texts: []opsdesk.TextPatch{{Lang: opsdesk.LangEN, Body: ptr("b")}}},
			"steps on article":   {Version: a.Version, Texts: []opsdesk.TextPatch{{Lang: opsdesk.LangFR, Steps: &[]opsdesk.Step{{Instruction: "x"}}}}},
			"unknown customer":   {Version: a.Version, Customers: &[]string{"NOPE"}},
			"restricted, no one": {Version: a.Version, Customers: &[]string{}},
			"unknown category":   {Version: a.Version, Category: ptr("hr")},
		} {
			_, err := db.UpdateArticle(ctx, a.ID, p)
			if opsdesk.ErrorKind(err) != opsdesk.KindInvalid {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		_, err = db.UpdateArticle(as(f.custA), a.ID, &opsdesk.ArticlePatch{Version: a.Version, Tags: &[]string{"x"}})
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.UpdateArticle(ctx, 9999, &opsdesk.ArticlePatch{Version: 1, Tags: &[]string{"x"}})
		wantKind(t, err, opsdesk.KindNotFound)
		// Visibility back to internal drops the customers.
		a, err = db.UpdateArticle(ctx, a.ID, &opsdesk.ArticlePatch{Version: a.Version, Visibility: ptr(opsdesk.VisibleInternal)})
		if err != nil || len(a.Customers) != 0 || a.Visibility != opsdesk.VisibleInternal {
			t.Fatalf("back to internal: %+v, %v", a, err)
		}
	})
}
