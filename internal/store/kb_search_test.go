package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// searchKeys runs a search and returns what it found as "ticket:OPS-1001" / "article:3".
func searchKeys(t *testing.T, db *store.DB, ctx context.Context, text string, kind opsdesk.SearchKind) []string {
	t.Helper()
	hits, err := db.Search(ctx, opsdesk.SearchQuery{Text: text, Kind: kind})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	return hitKeys(hits)
}

func hitKeys(hits []opsdesk.SearchHit) []string {
	out := []string{}
	for _, h := range hits {
		if h.Kind == opsdesk.SearchTickets {
			out = append(out, "ticket:"+h.Key)
		} else {
			out = append(out, "article:"+strconv.FormatInt(h.ID, 10))
		}
	}
	return out
}

func tkey(tk *opsdesk.Ticket) string { return "ticket:" + tk.Key }

func akey(a *opsdesk.Article) string { return "article:" + strconv.FormatInt(a.ID, 10) }

// publish takes an article through review to published, as an ops manager.
func publish(t *testing.T, db *store.DB, f *fixture, a *opsdesk.Article) *opsdesk.Article {
	t.Helper()
	a, err := db.SetArticleStatus(as(f.agent), a.ID, opsdesk.ArticleReview, a.Version, "")
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	a, err = db.SetArticleStatus(as(f.ops), a.ID, opsdesk.ArticlePublished, a.Version, "")
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return a
}

func newArticle(t *testing.T, db *store.DB, f *fixture, n opsdesk.NewArticle) *opsdesk.Article {
	t.Helper()
	a, err := db.CreateArticle(as(f.agent), &n)
	if err != nil {
		t.Fatalf("create article: %v", err)
	}
	return a
}

func fr(title, body string) opsdesk.ArticleText {
	return opsdesk.ArticleText{Lang: opsdesk.LangFR, Title: title, Body: body}
}

func en(title, body string) opsdesk.ArticleText {
	return opsdesk.ArticleText{Lang: opsdesk.LangEN, Title: title, Body: body}
}

func TestSearchAccentsAndStemming(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		deploy := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Échec du déploiement", Description: "Le déploiement de la version 4.2 échoue sur les serveurs de recette."})
		server := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Serveur injoignable", Description: "Le serveur principal ne répond plus depuis ce matin."})
		english := file(t, db, as(f.custB), opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Nightly job", Description: "The job deployed yesterday fails; we keep deploying by hand."})
		noise := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Facture en double", Description: "Nous avons reçu deux factures identiques."})

		cases := []struct {
			query string
			want  []string // exactly these, in any order
		}{
			{"deploiement", []string{tkey(deploy)}},  // no accent finds the accented word
			{"DÉPLOIEMENT", []string{tkey(deploy)}},  // and letter case does not matter
			{"déploiements", []string{tkey(deploy)}}, // French plural → same stem
			{"serveurs", []string{tkey(deploy), tkey(server)}},
			{"serveur", []string{tkey(deploy), tkey(server)}},
			{"échoué", []string{tkey(deploy)}}, // "échoue" in the text
			{"deploy", []string{tkey(english)}},
			{"deploying", []string{tkey(english)}},
			{"deploys", []string{tkey(english)}},
			{"factures", []string{tkey(noise)}},
			{"facture double", []string{tkey(noise)}},
			{"facture serveur", []string{}}, // every word must match
			{"le la de the", []string{}},    // stop words only
			{"introuvable", []string{}},
		}
		for _, c := range cases {
			got := searchKeys(t, db, admin, c.query, "")
			if !sameSet(got, c.want) {
				t.Errorf("search %q = %v, want %v", c.query, got, c.want)
			}
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestSearchArticleLanguages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		both := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{
			fr("Redémarrer le serveur d'applications", "Les déploiements échouent quand le pool est saturé."),
			en("Restarting the application server", "Deployments fail when the pool is exhausted."),
		}})
		frOnly := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{
			fr("Purger les journaux", "Supprimer les fichiers de journalisation anciens."),
		}})
		for _, c := range []struct {
			query string
			want  []string
			lang  opsdesk.Lang // the language of the text that should match
		}{
			{"déploiement", []string{akey(both)}, opsdesk.LangFR},
			{"deployment", []string{akey(both)}, opsdesk.LangEN},
			{"restarted", []string{akey(both)}, opsdesk.LangEN},
			{"redemarrer", []string{akey(both)}, opsdesk.LangFR},
			{"journal", []string{akey(frOnly)}, opsdesk.LangFR},
		} {
			hits, err := db.Search(as(f.agent), opsdesk.SearchQuery{Text: c.query, Kind: opsdesk.SearchArticles})
			if err != nil {
				t.Fatal(err)
			}
			if got := hitKeys(hits); !sameSet(got, c.want) {
				t.Errorf("search %q = %v, want %v", c.query, got, c.want)
				continue
			}
			if hits[0].Lang != c.lang {
				t.Errorf("search %q matched the %s text, want %s", c.query, hits[0].Lang, c.lang)
			}
		}
	})
}

func TestSearchRankingAndSnippet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		long := strings.Repeat("Le client signale une lenteur générale de l'application le matin. ", 12)
		mention := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{
			fr("Lenteurs du matin", long+"Voir aussi la procédure de certificat. "+long)}})
		title := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{
			fr("Renouveler un certificat TLS", "Commander le renouvellement, puis installer le nouveau certificat sur le frontal.")}})
		hits, err := db.Search(as(f.agent), opsdesk.SearchQuery{Text: "certificats"})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitKeys(hits); !slices.Equal(got, []string{akey(title), akey(mention)}) {
			t.Fatalf("ranking = %v, want the title match %s before the passing mention %s", got, akey(title), akey(mention))
		}
		if hits[0].Rank <= hits[1].Rank {
			t.Errorf("ranks %v, %v: want decreasing", hits[0].Rank, hits[1].Rank)
		}
		// The title is highlighted whole; the snippet is the passage around the match, cut with "…".
		if m := hits[0].Title.Matches(); !slices.Equal(m, []string{"certificat"}) || hits[0].Title.String() != "Renouveler un certificat TLS" {
			t.Errorf("title = %+v", hits[0].Title)
		}
		if m := hits[0].Snippet.Matches(); !slices.Equal(m, []string{"certificat"}) {
			t.Errorf("snippet matches = %v in %q", m, hits[0].Snippet.String())
		}
		s := hits[1].Snippet
		if m := s.Matches(); !slices.Equal(m, []string{"certificat"}) {
			t.Errorf("passing mention snippet matches = %v in %q", m, s.String())
		}
		text := s.String()
		if !strings.HasPrefix(text, "…") || !strings.HasSuffix(text, "…") || !strings.Contains(text, "procédure de certificat") ||
			len(strings.Fields(text)) > 34 {
			t.Errorf("snippet = %q: want a short passage around the match, cut on both sides", text)
		}
		// Accented matches are marked as written, several words at once.
		hits, err = db.Search(as(f.agent), opsdesk.SearchQuery{Text: "nouveau CERTIFICATS frontal"})
		if err != nil || len(hits) != 1 {
			t.Fatalf("hits = %v, %v", hitKeys(hits), err)
		}
		if m := hits[0].Snippet.Matches(); !slices.Equal(m, []string{"nouveau", "certificat", "frontal"}) {
			t.Errorf("snippet matches = %v in %q", m, hits[0].Snippet.String())
		}
	})
}

func TestSearchVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		ctxA, ctxB := as(f.custA), as(f.custB)
		acmeT := file(t, db, ctxA, opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Quota de stockage", Description: "Le quota de stockage est atteint."})
		globexT := file(t, db, ctxB, opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Storage quota", Description: "Our stockage quota is reached."})
		if _, err := db.AddMessage(as(f.agent), acmeT.Key, "Hypothèse : volumétrie anormale des sauvegardes nocturnes.", true, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddMessage(as(f.agent), acmeT.Key, "Nous purgeons les sauvegardes.", false, nil); err != nil {
			t.Fatal(err)
		}
		pub := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{fr("Augmenter un quota", "Demander une extension de stockage.")}}))
		forA := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted,
			Customers: []string{"ACME"}, Texts: []opsdesk.ArticleText{fr("Quota Acme", "Stockage dédié Acme.")}}))
		forB := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleRestricted,
			Customers: []string{"GLOBEX"}, Texts: []opsdesk.ArticleText{en("Globex quota", "Dedicated stockage for Globex.")}}))
		internal := publish(t, db, f.fixture, newArticle(t, db, f.fixture, opsdesk.NewArticle{
			Texts: []opsdesk.ArticleText{fr("Quota : procédure interne", "Stockage : script d'extension interne.")}}))
		draft := newArticle(t, db, f.fixture, opsdesk.NewArticle{Visibility: opsdesk.VisibleCustomers,
			Texts: []opsdesk.ArticleText{fr("Quota brouillon", "Stockage en cours de rédaction.")}})

		all := []string{tkey(acmeT), tkey(globexT), akey(pub), akey(forA), akey(forB), akey(internal), akey(draft)}
		for _, c := range []struct {
			who   string
			ctx   context.Context
			query string
			kind  opsdesk.SearchKind
			want  []string
		}{
			{"agent", as(f.agent), "quota stockage", "", all},
			{"project manager", as(f.pm), "quota stockage", "", all},
			{"customer A", ctxA, "quota stockage", "", []string{tkey(acmeT), akey(pub), akey(forA)}},
			{"customer B", ctxB, "quota stockage", "", []string{tkey(globexT), akey(pub), akey(forB)}},
			{"customer A, tickets", ctxA, "quota", opsdesk.SearchTickets, []string{tkey(acmeT)}},
			{"customer A, articles", ctxA, "quota", opsdesk.SearchArticles, []string{akey(pub), akey(forA)}},
			{"agent, tickets", as(f.agent), "quota", opsdesk.SearchTickets, []string{tkey(acmeT), tkey(globexT)}},
			// An internal note's words: staff find the ticket, its customer does not.
			{"agent, note", as(f.agent), "volumétrie sauvegardes", "", []string{tkey(acmeT)}},
			{"customer A, note", ctxA, "volumétrie", "", []string{}},
			{"customer A, public reply", ctxA, "purgeons", "", []string{tkey(acmeT)}},
			{"customer B, other's reply", ctxB, "purgeons", "", []string{}},
		} {
			if got := searchKeys(t, db, c.ctx, c.query, c.kind); !sameSet(got, c.want) {
				t.Errorf("%s: search %q = %v, want %v", c.who, c.query, got, c.want)
			}
		}
		// The note's hit says so, to staff.
		hits, err := db.Search(as(f.agent), opsdesk.SearchQuery{Text: "volumétrie"})
		if err != nil || len(hits) != 1 || !hits[0].Internal || hits[0].MessageID == 0 {
			t.Fatalf("note hit = %+v, %v", hits, err)
		}
		// Withdrawing an article takes it out of customers' results at once.
		if _, err := db.SetArticleStatus(as(f.ops), pub.ID, opsdesk.ArticleDraft, pub.Version, "outdated"); err != nil {
			t.Fatal(err)
		}
		if got := searchKeys(t, db, ctxA, "quota", opsdesk.SearchArticles); !sameSet(got, []string{akey(forA)}) {
			t.Errorf("after withdrawal, customer A finds %v", got)
		}
		// Restricting an article to another customer takes it from the first.
		forA, err = db.UpdateArticle(as(f.ops), forA.ID, &opsdesk.ArticlePatch{Version: forA.Version, Customers: &[]string{"GLOBEX"}})
		if err != nil {
			t.Fatal(err)
		}
		if got := searchKeys(t, db, ctxA, "quota", opsdesk.SearchArticles); len(got) != 0 {
			t.Errorf("after restriction to Globex, customer A finds %v", got)
		}
		if got := searchKeys(t, db, ctxB, "quota", opsdesk.SearchArticles); !sameSet(got, []string{akey(forA), akey(forB)}) {
			t.Errorf("after restriction to Globex, customer B finds %v", got)
		}
	})
}

func TestSearchQueryRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := db.Search(context.Background(), opsdesk.SearchQuery{Text: "x"}); opsdesk.ErrorKind(err) != opsdesk.KindAuth {
			t.Errorf("anonymous search: %v", err)
		}
		_, err := db.Search(as(f.agent), opsdesk.SearchQuery{Text: "x", Kind: "user"})
		wantKind(t, err, opsdesk.KindInvalid)
		_, err = db.Search(as(f.agent), opsdesk.SearchQuery{Text: "x", Limit: 101})
		wantKind(t, err, opsdesk.KindInvalid)
		// FTS5 and tsquery syntax in the words is taken as words, never as syntax.
		for _, q := range []string{`"`, `a OR b`, `NEAR(a b)`, `x*`, `col:val`, `!& | <->`, `'`, `{title}: x`, `-`} {
			if _, err := db.Search(as(f.custA), opsdesk.SearchQuery{Text: q}); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
		}
	})
}

func TestSearchRebuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		tk := file(t, db, as(f.custA), opsdesk.NewTicket{Severity: "minor", Category: "application",
			Subject: "Imprimante bloquée", Description: "L'imprimante du service paie est bloquée."})
		if _, err := db.AddMessage(as(f.agent), tk.Key, "Bourrage papier constaté.", true, nil); err != nil {
			t.Fatal(err)
		}
		art := newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("Débloquer une imprimante", "Ouvrir le capot.")}})
		// Simulate an installation upgraded from before the index: empty it.
		for _, q := range []string{`DELETE FROM search_docs`} {
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if db.Dialect() == store.SQLite {
			for _, q := range []string{`DELETE FROM search_fts_ticket`, `DELETE FROM search_fts_article`} {
				if _, err := db.SQL().Exec(q); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := searchKeys(t, db, admin, "imprimante", ""); len(got) != 0 {
			t.Fatalf("emptied index still finds %v", got)
		}
		if _, err := db.RebuildSearchIndex(as(f.agent)); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Errorf("agent rebuild: %v, want forbidden", err)
		}
		did, err := db.EnsureSearchIndex(context.Background())
		if err != nil || !did {
			t.Fatalf("ensure = %v, %v; want a rebuild (the migration asked for one)", did, err)
		}
		if got := searchKeys(t, db, admin, "imprimante", ""); !sameSet(got, []string{tkey(tk), akey(art)}) {
			t.Errorf("after rebuild: %v", got)
		}
		if got := searchKeys(t, db, as(f.custA), "bourrage", ""); len(got) != 0 {
			t.Errorf("after rebuild the customer finds the internal note: %v", got)
		}
		if got := searchKeys(t, db, admin, "bourrage", ""); !sameSet(got, []string{tkey(tk)}) {
			t.Errorf("after rebuild staff find the note: %v", got)
		}
		// A second rebuild is not asked for, and running one does not double anything.
		if did, err := db.EnsureSearchIndex(context.Background()); err != nil || did {
			t.Errorf("second ensure = %v, %v", did, err)
		}
		st, err := db.RebuildSearchIndex(admin)
		if err != nil || st.Tickets != 1 || st.Messages != 2 || st.Articles != 1 {
			t.Fatalf("rebuild = %+v, %v", st, err)
		}
		var docs int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM search_docs`).Scan(&docs)
		if docs != 3 { // the subject with the description, the note, the article's text
			t.Errorf("index holds %d documents, want 3", docs)
		}
	})
}

// TestSearchHighlightAgrees checks, on each engine, that the words the database matched are the
// words highlighted (Go stems the text for highlighting; PostgreSQL stems it itself).
func TestSearchHighlightAgrees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTicketFixture(t, db)
		frText := "Les utilisateurs signalent des lenteurs importantes. Après la migration, les sauvegardes nocturnes " +
			"échouaient et les connexions étaient refusées ; nous avons redémarré les instances, purgé les journaux " +
			"et renouvelé les certificats expirés. Configuration corrigée, performances rétablies."
		enText := "Users reported significant slowness. After the migration, nightly backups were failing and connections " +
			"were refused; we restarted the instances, purged the logs and renewed the expired certificates. " +
			"Configuration fixed, performance restored."
		newArticle(t, db, f.fixture, opsdesk.NewArticle{Texts: []opsdesk.ArticleText{fr("Incident", frText), en("Incident", enText)}})
		for _, q := range []string{
			"utilisateur", "lenteur", "important", "sauvegarde", "echouer", "connexions", "refusée", "redémarrer",
			"instance", "purger", "journal", "renouveler", "certificat", "expiré", "configurations", "performance", "rétabli",
			"user", "reporting", "slow", "backup", "fail", "connection", "refuse", "restarting", "purge", "log",
			"renew", "expire", "certificate", "configured", "performances", "restore",
		} {
			hits, err := db.Search(as(f.agent), opsdesk.SearchQuery{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 1 {
				t.Errorf("%q finds %d articles, want 1", q, len(hits))
				continue
			}
			if len(hits[0].Snippet.Matches()) == 0 {
				t.Errorf("%q matched the %s text but highlights nothing in %q", q, hits[0].Lang, hits[0].Snippet.String())
			}
		}
	})
}
