package notify_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var surveyLinkRE = regexp.MustCompile(`https://desk\.vendor\.example/survey/([A-Za-z0-9_-]{43})\?solved=(yes|no)`)

// TestResolvedMailCarriesSurveyLinks: the resolution mail, in the requester's language, carries
// the resolution summary and the two survey links (answer preselected), which open the survey
// without answering it.
func TestResolvedMailCarriesSurveyLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n, err := notify.New(db, options(""))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who     *opsdesk.User
			summary string
			yes, no string
			lang    opsdesk.Lang
		}{
			{f.alice, "Index reconstruit sur la table des exports.", "Oui, c'est réglé", "Non, ça ne l'est pas", opsdesk.LangFR},
			{f.bob, "Rebuilt the index of the exports table.", "Yes, it is solved", "No, it is not", opsdesk.LangEN},
		} {
			tk := file(t, db, as(c.who), opsdesk.NewTicket{Subject: "Exports"})
			if _, err := db.Take(as(f.n1en), tk.Key); err != nil {
				t.Fatal(err)
			}
			if _, err := db.UpdateTicket(as(f.n1en), tk.Key, opsdesk.TicketPatch{Status: ptr(opsdesk.StatusResolved),
				Resolution: &opsdesk.Resolution{Summary: c.summary, Cause: "defect", DraftArticle: true}}); err != nil {
				t.Fatal(err)
			}
			consume(t, db, n, 2) // a retried event mails once
			var resolved []*store.OutboxMail
			for _, m := range outbox(t, db) {
				if m.Kind == string(notify.KindResolved) && m.TicketKey == tk.Key {
					resolved = append(resolved, m)
				}
			}
			if len(resolved) != 1 {
				t.Fatalf("%s: %d resolved mails", c.lang, len(resolved))
			}
			m := resolved[0]
			if m.Lang != c.lang || m.To != c.who.Email || !strings.Contains(m.Text, c.summary) || !strings.Contains(m.HTML, c.summary) ||
				!strings.Contains(m.Text, c.yes) || !strings.Contains(m.HTML, c.no) {
				t.Errorf("%s mail:\n%s", c.lang, m.Text)
			}
			links := surveyLinkRE.FindAllStringSubmatch(m.Text, -1)
			if len(links) != 2 || links[0][2] != "yes" || links[1][2] != "no" || links[0][1] != links[1][1] {
				t.Fatalf("%s survey links %q in:\n%s", c.lang, links, m.Text)
			}
			wantHTMLLink(t, m.HTML, links[0][0])
			wantHTMLLink(t, m.HTML, links[1][0])
			s, err := db.SurveyByToken(context.Background(), links[0][1])
			if err != nil || s.TicketKey != tk.Key || s.State != opsdesk.SurveyOpen || s.Lang != c.lang {
				t.Fatalf("the mailed link opens %+v, %v", s, err)
			}
		}
	})
}
