package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// kbSearchAnswer is an answer of GET /search as a client decodes it.
type kbSearchAnswer struct {
	Items []struct {
		Kind             string  `json:"kind"`
		ID               int64   `json:"id"`
		Key              *string `json:"key"`
		Href             string  `json:"href"`
		Lang             *string `json:"lang"`
		Title            string  `json:"title"`
		Snippet          string  `json:"snippet"`
		SnippetFragments []struct {
			Text  string `json:"text"`
			Match bool   `json:"match"`
		} `json:"snippet_fragments"`
		Internal bool `json:"internal"`
	} `json:"items"`
}

// hits names the hits "ticket:OPS-1" or "article:3".
func (s kbSearchAnswer) hits() []string {
	out := []string{}
	for _, h := range s.Items {
		if h.Key != nil {
			out = append(out, "ticket:"+*h.Key)
		} else {
			out = append(out, "article:"+strconv.FormatInt(h.ID, 10))
		}
	}
	slices.Sort(out)
	return out
}

func (e *env) kbSearch(user, query string) kbSearchAnswer {
	e.t.Helper()
	var s kbSearchAnswer
	e.do(user, "GET", "/api/v1/search?"+query, nil).want(e.t, http.StatusOK, &s)
	return s
}

func kbHitSet(s ...string) []string {
	slices.Sort(s)
	return s
}

// TestSearchAPI: a customer finds their own tickets by their public words and the articles
// shown to them, never another customer's ticket, an internal note's words or another's
// restricted article; accents are ignored; the snippet is plain text with its matches marked.
func TestSearchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		acmeT := e.file("alice", map[string]any{"subject": "Échec du déploiement", "description": "Le déploiement de la version 4.2 échoue."})
		globexT := e.file("bob", map[string]any{"subject": "Déploiement bloqué", "description": "Notre déploiement est bloqué."})
		e.do("n1", "POST", "/api/v1/tickets/"+acmeT.Number+"/messages", map[string]any{"body": "Hypothèse : quota disque saturé sur le déploiement.",
			"internal": true}).want(t, http.StatusCreated, nil)
		all := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "fr", "title": "Réussir un déploiement", "body": "Vérifier le quota.",
			"visibility": "customers"}))
		forGlobex := e.kbPublish(e.kbNewArticle("n1", map[string]any{"lang": "fr", "title": "Déploiement chez Globex",
			"body": "Procédure dédiée.", "visibility": []string{"GLOBEX"}}))
		internal := e.kbNewArticle("n1", map[string]any{"lang": "fr", "title": "Déploiement : notes internes", "body": "Quota secret."})
		tkA, tkB := "ticket:"+acmeT.Number, "ticket:"+globexT.Number
		art := func(a kbArticle) string { return "article:" + strconv.FormatInt(a.ID, 10) }

		for _, c := range []struct {
			user, query string
			want        []string
		}{
			{"n1", "q=deploiement", kbHitSet(tkA, tkB, art(all), art(forGlobex), art(internal))},
			{"alice", "q=deploiement", kbHitSet(tkA, art(all))},
			{"alice", "q=DÉPLOIEMENT&kind=ticket", kbHitSet(tkA)},
			{"alice", "q=deploiement&kind=article", kbHitSet(art(all))},
			{"bob", "q=deploiement", kbHitSet(tkB, art(all), art(forGlobex))},
			{"n1", "q=quota+disque", kbHitSet(tkA)}, // the internal note's words, for staff
			{"alice", "q=quota+disque", []string{}},
			{"alice", "q=hypothese", []string{}},
			{"alice", "q=quota", kbHitSet(art(all))},
			{"bob", "q=echoue", []string{}}, // Acme's description
			{"alice", "q=le+la+de", []string{}},
		} {
			if got := e.kbSearch(c.user, c.query).hits(); !slices.Equal(got, c.want) {
				t.Errorf("%s searches %s: %v, want %v", c.user, c.query, got, c.want)
			}
		}

		// The shape of a ticket hit, and of an article hit.
		s := e.kbSearch("alice", "q="+url.QueryEscape("deploiement version")+"&kind=ticket")
		if len(s.Items) != 1 {
			t.Fatalf("hits = %+v", s.Items)
		}
		h := s.Items[0]
		var joined strings.Builder
		var matched []string
		for _, f := range h.SnippetFragments {
			joined.WriteString(f.Text)
			if f.Match {
				matched = append(matched, f.Text)
			}
		}
		if h.Kind != "ticket" || h.Href != "/api/v1/tickets/"+acmeT.Number || h.Lang != nil || h.Internal ||
			h.Title != "Échec du déploiement" || joined.String() != h.Snippet || !slices.Contains(matched, "déploiement") ||
			!slices.Contains(matched, "version") || strings.Contains(h.Snippet, "Hypothèse") {
			t.Errorf("ticket hit = %+v, matches %v", h, matched)
		}
		s = e.kbSearch("alice", "q=reussir&kind=article")
		if len(s.Items) != 1 || s.Items[0].Lang == nil || *s.Items[0].Lang != "fr" || s.Items[0].Key != nil ||
			s.Items[0].Href != kbArticlePath(all.ID) {
			t.Errorf("article hits = %+v", s.Items)
		}

		e.do("alice", "GET", "/api/v1/search", nil).problem(t, http.StatusUnprocessableEntity, "q")
		e.do("alice", "GET", "/api/v1/search?q=x&kind=user", nil).problem(t, http.StatusUnprocessableEntity, "kind")
		e.do("alice", "GET", "/api/v1/search?q=x&limit=500", nil).problem(t, http.StatusUnprocessableEntity, "limit")
		e.do("", "GET", "/api/v1/search?q=x", nil).problem(t, http.StatusUnauthorized, "")
	})
}
