package store_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// fixed is the resolution tests give when they resolve a ticket.
func fixed() *opsdesk.Resolution {
	return &opsdesk.Resolution{Summary: "Fixed.", Cause: "defect"}
}

// fixedDraft also asks for a draft article, which the knowledge-base rule needs on a blocking
// ticket without a linked article.
func fixedDraft() *opsdesk.Resolution {
	r := fixed()
	r.DraftArticle = true
	return r
}

// resolutionFor is the resolution a patch to status s needs: fixedDraft for resolved, nil else.
func resolutionFor(s opsdesk.Status) *opsdesk.Resolution {
	if s == opsdesk.StatusResolved {
		return fixedDraft()
	}
	return nil
}

func TestResolutionRequired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "Export fails", Description: "d"})
		if _, err := db.AddMessage(as(f.agent), tk.Key, "on it", false, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveCauseCode(as(f.ops), &opsdesk.CauseCode{Code: "legacy", LabelFR: "Ancien", LabelEN: "Old", Active: false}); err != nil {
			t.Fatal(err)
		}
		resolved, waiting := ptr(opsdesk.StatusResolved), ptr(opsdesk.StatusWaitingCustomer)
		cases := []struct {
			name  string
			patch opsdesk.TicketPatch
			field string
		}{
			{"no resolution", opsdesk.TicketPatch{Status: resolved}, "resolution"},
			{"blank summary", opsdesk.TicketPatch{Status: resolved, Resolution: &opsdesk.Resolution{Summary: "  ", Cause: "defect"}}, "resolution"},
			{"summary too long", opsdesk.TicketPatch{Status: resolved, Resolution: &opsdesk.Resolution{Summary: strings.Repeat("x", opsdesk.MaxResolutionSummary+1), Cause: "defect"}}, "resolution"},
			{"no cause", opsdesk.TicketPatch{Status: resolved, Resolution: &opsdesk.Resolution{Summary: "Fixed"}}, "cause"},
			{"unknown cause", opsdesk.TicketPatch{Status: resolved, Resolution: &opsdesk.Resolution{Summary: "Fixed", Cause: "gremlins"}}, "cause"},
			{"retired cause", opsdesk.TicketPatch{Status: resolved, Resolution: &opsdesk.Resolution{Summary: "Fixed", Cause: "legacy"}}, "cause"},
			{"resolution without resolving", opsdesk.TicketPatch{Status: waiting, Resolution: fixed()}, "resolution"},
			{"resolution alone", opsdesk.TicketPatch{Resolution: fixed()}, "resolution"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := db.UpdateTicket(as(f.agent), tk.Key, c.patch)
				var e *opsdesk.Error
				if opsdesk.ErrorKind(err) != opsdesk.KindInvalid || !asError(err, &e) || e.Field != c.field {
					t.Fatalf("error = %v, want invalid %s", err, c.field)
				}
			})
		}
		if got, _ := db.TicketByKey(admin, tk.Key); got.Status != opsdesk.StatusOpen || got.ResolutionSummary != "" {
			t.Fatalf("a refused resolution changed the ticket: %+v", got)
		}

		got, err := db.UpdateTicket(as(f.agent), tk.Key, opsdesk.TicketPatch{Status: resolved, Reason: "internal note on the fix",
			Resolution: &opsdesk.Resolution{Summary: " Rebuilt the export index. ", Cause: "Data"}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != opsdesk.StatusResolved || got.ResolutionSummary != "Rebuilt the export index." || got.Cause != "data" {
			t.Fatalf("resolved ticket = %s %q %q", got.Status, got.ResolutionSummary, got.Cause)
		}
		// The summary is the public reason of the status change; the cause is an internal line.
		for _, who := range []struct {
			name      string
			user      *opsdesk.User
			wantCause bool
		}{{"customer", f.custA, false}, {"agent", f.agent, true}} {
			hist, err := db.History(as(who.user), tk.Key)
			if err != nil {
				t.Fatal(err)
			}
			var summary, cause bool
			for _, e := range hist {
				summary = summary || (e.Field == "status" && e.New == "resolved" && e.Reason == "Rebuilt the export index.")
				cause = cause || (e.Field == "cause" && e.New == "data")
			}
			if !summary || cause != who.wantCause {
				t.Errorf("%s history: summary %v cause %v (want cause %v)", who.name, summary, cause, who.wantCause)
			}
		}
		// Reopening keeps the resolution; the next resolution needs one again.
		got, err = db.UpdateTicket(as(f.custA), tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusOpen), Reason: "still broken"})
		if err != nil || got.ResolutionSummary != "Rebuilt the export index." || got.Cause != "data" {
			t.Fatalf("reopened: %q %q %v", got.ResolutionSummary, got.Cause, err)
		}
		_, err = db.UpdateTicket(as(f.agent), tk.Key, opsdesk.TicketPatch{Status: resolved})
		wantKind(t, err, opsdesk.KindInvalid)
		got, err = db.UpdateTicket(as(f.agent), tk.Key, opsdesk.TicketPatch{Status: resolved, Resolution: &opsdesk.Resolution{Summary: "Patched.", Cause: "defect"}})
		if err != nil || got.ResolutionSummary != "Patched." || got.Cause != "defect" {
			t.Fatalf("resolved again: %q %q %v", got.ResolutionSummary, got.Cause, err)
		}
		// Listing reads the resolution too.
		list, _, err := db.ListTickets(as(f.agent), opsdesk.TicketFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range list {
			if l.Key == tk.Key && l.ResolutionSummary != "Patched." {
				t.Errorf("listed summary = %q", l.ResolutionSummary)
			}
		}
	})
}

func TestKnowledgeBaseRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		blocking := func(user *opsdesk.User, subject string) *opsdesk.Ticket {
			tk := file(t, db, as(user), opsdesk.NewTicket{Severity: "blocking", Category: "application", Subject: subject,
				Description: "Nobody can log in since 9:00.", Impact: "all users"})
			if _, err := db.AddMessage(as(f.agent), tk.Key, "on it", false, nil); err != nil {
				t.Fatal(err)
			}
			return tk
		}
		sevs, err := db.Severities(admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sevs {
			if s.KBRequired != (s.Code == "blocking") {
				t.Errorf("severity %s kb_required = %v", s.Code, s.KBRequired)
			}
		}

		// Without an article, resolving a blocking ticket is refused, and nothing is kept.
		linked := blocking(f.custA, "Login down")
		_, err = db.UpdateTicket(as(f.agent), linked.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()})
		var e *opsdesk.Error
		if !asError(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != "article" {
			t.Fatalf("blocking without article: %v", err)
		}
		// With a linked article, it resolves.
		art, err := db.CreateArticle(as(f.agent), &opsdesk.NewArticle{Texts: []opsdesk.ArticleText{{Lang: opsdesk.LangEN, Title: "Login outage", Body: "b"}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.LinkArticle(as(f.agent), linked.Key, art.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTicket(as(f.agent), linked.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()}); err != nil {
			t.Fatalf("blocking with a linked article: %v", err)
		}

		// With DraftArticle, the draft is made from the ticket and its problem, and linked.
		drafted := blocking(f.custB, "SSO broken")
		p := &opsdesk.Problem{Title: "IdP certificate", RootCause: "The IdP certificate expired.", Workaround: "Log in with a password."}
		if err := db.CreateProblem(as(f.agent), p); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LinkTicket(as(f.agent), p.ID, drafted.Key); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateTicket(as(f.agent), drafted.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved),
			Resolution: &opsdesk.Resolution{Summary: "Renewed the certificate.", Cause: "third_party", DraftArticle: true}}); err != nil {
			t.Fatalf("blocking with a draft: %v", err)
		}
		links, err := db.TicketArticles(as(f.agent), drafted.Key, opsdesk.LangEN)
		if err != nil || len(links) != 1 {
			t.Fatalf("links = %+v, %v", links, err)
		}
		a, err := db.ArticleByID(as(f.agent), links[0].ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != opsdesk.ArticleDraft || a.Visibility != opsdesk.VisibleInternal || a.Category != "application" || len(a.Texts) != 1 {
			t.Fatalf("draft = %+v", a)
		}
		txt := a.Texts[0] // Globex reads English
		if txt.Lang != opsdesk.LangEN || txt.Title != "SSO broken" {
			t.Errorf("draft text = %s %q", txt.Lang, txt.Title)
		}
		for _, want := range []string{"## Symptoms", "Nobody can log in since 9:00.", "## Cause", "Third party", "## Resolution",
			"Renewed the certificate.", "## Root cause", "The IdP certificate expired.", "## Workaround", "Log in with a password."} {
			if !strings.Contains(txt.Body, want) {
				t.Errorf("draft body lacks %q:\n%s", want, txt.Body)
			}
		}
		hist, _ := db.History(as(f.agent), drafted.Key)
		found := false
		for _, e := range hist {
			found = found || (e.Kind == opsdesk.EventArticleLinked && e.New == itoa(a.ID))
		}
		if !found {
			t.Error("no article_linked line in the history")
		}

		// An admin turns the rule off for blocking tickets.
		sev := *sevs[0]
		sev.KBRequired = false
		if err := db.SaveSeverity(as(f.adm), &sev); err != nil {
			t.Fatal(err)
		}
		free := blocking(f.custA, "Slow login")
		if _, err := db.UpdateTicket(as(f.agent), free.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved), Resolution: fixed()}); err != nil {
			t.Fatalf("rule off: %v", err)
		}
	})
}

func TestDraftArticleFromTicket(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application", Subject: "Export fails", Description: "The CSV export stops at 1000 rows."})
		_, err := db.DraftArticleFromTicket(as(f.custA), tk.Key)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.DraftArticleFromTicket(as(f.agent), "OPS-9999")
		wantKind(t, err, opsdesk.KindNotFound)
		a, err := db.DraftArticleFromTicket(as(f.agent), tk.Key) // a new ticket: no cause or summary yet
		if err != nil {
			t.Fatal(err)
		}
		txt := a.Texts[0] // Acme reads French
		if a.Status != opsdesk.ArticleDraft || txt.Lang != opsdesk.LangFR || txt.Title != "Export fails" ||
			!strings.Contains(txt.Body, "## Symptômes") || !strings.Contains(txt.Body, "1000 rows") || strings.Contains(txt.Body, "## Résolution") {
			t.Errorf("draft = %+v %+v", a, txt)
		}
		links, _ := db.TicketArticles(as(f.agent), tk.Key, opsdesk.LangFR)
		if len(links) != 1 || links[0].ArticleID != a.ID {
			t.Errorf("links = %+v", links)
		}
		// The customer does not see the internal draft among the ticket's articles.
		if links, _ := db.TicketArticles(as(f.custA), tk.Key, opsdesk.LangFR); len(links) != 0 {
			t.Errorf("customer sees %+v", links)
		}
	})
}

func TestCauseCodes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		list, err := db.CauseCodes(as(f.agent), false)
		if err != nil {
			t.Fatal(err)
		}
		codes := []string{}
		for _, c := range list {
			codes = append(codes, c.Code)
		}
		if strings.Join(codes, ",") != "defect,configuration,infrastructure,data,third_party,change,usage,duplicate,not_reproduced" {
			t.Errorf("default causes = %v", codes)
		}
		_, err = db.CauseCodes(as(f.custA), true)
		wantKind(t, err, opsdesk.KindForbidden)
		wantKind(t, db.SaveCauseCode(as(f.agent), &opsdesk.CauseCode{Code: "x", LabelFR: "x", LabelEN: "x"}), opsdesk.KindForbidden)
		for _, c := range []struct {
			cause opsdesk.CauseCode
			field string
		}{
			{opsdesk.CauseCode{Code: "", LabelFR: "a", LabelEN: "a"}, "code"},
			{opsdesk.CauseCode{Code: "bad code!", LabelFR: "a", LabelEN: "a"}, "code"},
			{opsdesk.CauseCode{Code: "ok", LabelFR: "", LabelEN: "a"}, "label_fr"},
			{opsdesk.CauseCode{Code: "ok", LabelFR: "a", LabelEN: " "}, "label_en"},
		} {
			var e *opsdesk.Error
			if err := db.SaveCauseCode(as(f.ops), &c.cause); !asError(err, &e) || e.Field != c.field {
				t.Errorf("%+v: %v, want invalid %s", c.cause, err, c.field)
			}
		}
		retired := opsdesk.CauseCode{Code: "duplicate", LabelFR: "Doublon", LabelEN: "Duplicate", Position: 80, Active: false}
		if err := db.SaveCauseCode(as(f.adm), &retired); err != nil {
			t.Fatal(err)
		}
		active, _ := db.CauseCodes(as(f.agent), false)
		all, _ := db.CauseCodes(as(f.agent), true)
		if len(active) != 8 || len(all) != 9 {
			t.Errorf("after retiring: %d active, %d in all", len(active), len(all))
		}
	})
}

// asError finds the domain error in err.
func asError(err error, target **opsdesk.Error) bool { return errors.As(err, target) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
