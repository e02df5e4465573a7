package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// The words of the synthetic desk: support vocabulary first (the most frequent), then a long
// tail of made-up words, drawn with a Zipf law so that a few words are in most texts and most
// words in few, as in real tickets.
var (
	benchWordsFR = strings.Fields(`erreur serveur connexion utilisateur application déploiement version base données
		sauvegarde certificat mot passe compte accès facture export import fichier rapport lenteur page écran bouton
		message mise jour installation configuration réseau proxy pare-feu délai requête api flux interface
		synchronisation tâche planifiée traitement nuit journal disque mémoire processeur charge performance incident
		panne coupure redémarrage service module paiement commande client fournisseur stock inventaire livraison
		adresse courriel notification alerte tableau bord statistique droit profil rôle groupe session jeton
		authentification annuaire licence contrat environnement production recette préproduction migration script
		index verrou transaction doublon anomalie correctif contournement impression imprimante modèle document
		signature archivage purge quota stockage volume restauration reprise supervision sonde tablette mobile
		navigateur cache formulaire champ validation saisie calcul arrondi taxe devise remise tarif échéance relance`)
	benchWordsEN = strings.Fields(`error server connection user application deployment version database backup
		certificate password account access invoice export import file report slowness page screen button message
		update installation configuration network proxy firewall timeout request api feed interface synchronisation
		scheduled job processing nightly log disk memory processor load performance incident outage failure restart
		service module payment order customer supplier stock inventory delivery address email notification alert
		dashboard statistics permission profile role group session token authentication directory licence contract
		environment production staging migration script index lock transaction duplicate defect fix workaround
		printing printer template document signature archive purge quota storage volume restore recovery monitoring
		probe tablet mobile browser cache form field validation input rounding tax currency discount price deadline`)
)

// benchVocab is a language's words in Zipf rank order: support words, then nTail made-up ones.
func benchVocab(words []string, seed uint64, nTail int) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := slices.Clone(words)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	syl := strings.Fields("ka lo mi ner tu vax pre dor sil qua bel fen gri jo zum tra ope vin")
	for range nTail {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		out = append(out, b.String())
	}
	return out
}

// textGen writes sentences of Zipf-distributed words.
type textGen struct {
	rng      *rand.Rand
	fr, en   []string
	zfr, zen *rand.Zipf
}

func newTextGen(seed uint64) *textGen {
	rng := rand.New(rand.NewPCG(seed, 11))
	g := &textGen{rng: rng, fr: benchVocab(benchWordsFR, 1, 30000), en: benchVocab(benchWordsEN, 2, 30000)}
	g.zfr = rand.NewZipf(rng, 1.07, 15, uint64(len(g.fr)-1))
	g.zen = rand.NewZipf(rng, 1.07, 15, uint64(len(g.en)-1))
	return g
}

func (g *textGen) text(lang opsdesk.Lang, minWords, maxWords int) string {
	words, z := g.fr, g.zfr
	if lang == opsdesk.LangEN {
		words, z = g.en, g.zen
	}
	n := minWords + g.rng.IntN(maxWords-minWords+1)
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
			if g.rng.IntN(12) == 0 {
				b.WriteString(". ")
			}
		}
		b.WriteString(words[z.Uint64()])
	}
	return b.String()
}

func (g *textGen) lang() opsdesk.Lang {
	if g.rng.IntN(10) < 7 {
		return opsdesk.LangFR
	}
	return opsdesk.LangEN
}

// seedKB fills db with tickets (a subject, a description, a public reply for half of them and
// an internal note for a third) and articles (70 % published, to every customer or to a few),
// then rebuilds the search index.
func seedKB(b *testing.B, db *store.DB, nTickets, nArticles int) {
	ctx := admin
	custs := benchCustomers(b, db, "K")
	g := newTextGen(42)
	t0 := time.Now()
	// Batches of 500: a batch is one savepoint of a group commit, whose statement journal SQLite
	// walks at every statement, so larger batches cost more per ticket.
	for done := 0; done < nTickets; done += 500 {
		ns := make([]*opsdesk.NewTicket, 0, 500)
		for range min(500, nTickets-done) {
			c, lang := custs[g.rng.IntN(len(custs))], g.lang()
			ns = append(ns, &opsdesk.NewTicket{CustomerID: c.ID, RequesterEmail: fmt.Sprintf("user%d@%s", g.rng.IntN(50), c.Domains[0]),
				Severity: "minor", Category: "application", Subject: g.text(lang, 4, 9), Description: g.text(lang, 25, 70),
				Channel: opsdesk.ChannelAPI, Import: true})
		}
		if _, err := db.CreateTickets(ctx, ns); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded %d tickets in %v", nTickets, time.Since(t0).Round(time.Second))
	// Replies and notes in bulk SQL; the rebuild below indexes them.
	t0 = time.Now()
	sqlDB := db.SQL()
	ins := db.Rebind(`INSERT INTO ticket_messages (ticket_id, author_label, internal, body, channel, created_at) VALUES (?, 'agent', ?, ?, 'web', 0)`)
	for lo := 0; lo < nTickets; lo += 20000 {
		tx, err := sqlDB.Begin()
		if err != nil {
			b.Fatal(err)
		}
		rows, err := tx.Query(db.Rebind(`SELECT id FROM tickets ORDER BY id LIMIT ? OFFSET ?`), 20000, lo)
		if err != nil {
			b.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			lang := g.lang()
			if g.rng.IntN(2) == 0 {
				if _, err := tx.Exec(ins, id, false, g.text(lang, 15, 50)); err != nil {
					b.Fatal(err)
				}
			}
			if g.rng.IntN(3) == 0 {
				if _, err := tx.Exec(ins, id, true, g.text(lang, 10, 30)); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	for i := range nArticles {
		lang := g.lang()
		texts := []opsdesk.ArticleText{{Lang: lang, Title: g.text(lang, 3, 8), Body: g.text(lang, 100, 400)}}
		if i%5 == 0 {
			other := opsdesk.LangEN
			if lang == opsdesk.LangEN {
				other = opsdesk.LangFR
			}
			texts = append(texts, opsdesk.ArticleText{Lang: other, Title: g.text(other, 3, 8), Body: g.text(other, 100, 400)})
		}
		n := opsdesk.NewArticle{Texts: texts}
		if i%10 == 9 {
			n.Kind = opsdesk.ArticleProcedure
			for j := range texts {
				for range 3 + g.rng.IntN(6) {
					texts[j].Steps = append(texts[j].Steps, opsdesk.Step{Instruction: g.text(texts[j].Lang, 4, 12), Expected: g.text(texts[j].Lang, 2, 8)})
				}
			}
		}
		if _, err := db.CreateArticle(ctx, &n); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{
		`UPDATE articles SET status = 'published', visibility = CASE WHEN id % 10 < 5 THEN 'customers' ELSE 'restricted' END WHERE id % 10 < 7`,
		`INSERT INTO article_customers (article_id, customer_id) SELECT a.id, c.id FROM articles a, customers c
			WHERE a.visibility = 'restricted' AND c.id % 20 = a.id % 20`,
	} {
		if _, err := sqlDB.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded messages and %d articles in %v", nArticles, time.Since(t0).Round(time.Second))
	t0 = time.Now()
	st, err := db.RebuildSearchIndex(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("rebuilt the index (%d tickets, %d messages, %d articles) in %v", st.Tickets, st.Messages, st.Articles, time.Since(t0).Round(time.Second))
}

// kbBenchDB returns a seeded database, kept for later runs: a file in the temporary directory
// (SQLite), a schema named after the sizes (PostgreSQL; drop it with DROP SCHEMA … CASCADE).
func kbBenchDB(b *testing.B, d store.Dialect, nTickets, nArticles int) *store.DB {
	b.Helper()
	if d == store.Postgres {
		return kbBenchPostgres(b, nTickets, nArticles)
	}
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("opsdesk-kb-bench-%d-%d-v5.db", nTickets, nArticles))
	done := path + ".done"
	if _, err := os.Stat(done); err != nil {
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
	}
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(done); err != nil {
		b.Logf("seeding %s (kept for later runs)", path)
		seedKB(b, db, nTickets, nArticles)
		if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

func kbBenchPostgres(b *testing.B, nTickets, nArticles int) *store.DB {
	ctx := context.Background()
	base := os.Getenv(storetest.PostgresEnv)
	schema := fmt.Sprintf("kbbench_%d_%d_v5", nTickets, nArticles)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var done bool
	admin.QueryRow(`SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'kb_bench_done')`, schema).Scan(&done)
	if !done {
		if _, err := admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`); err != nil {
			b.Fatal(err)
		}
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			b.Fatal(err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	qs := u.Query()
	qs.Set("search_path", schema)
	u.RawQuery = qs.Encode()
	db, err := store.Open(ctx, u.String(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if !done {
		b.Logf("seeding schema %s (kept for later runs)", schema)
		seedKB(b, db, nTickets, nArticles)
		if _, err := db.SQL().Exec(`ANALYZE`); err != nil {
			b.Fatal(err)
		}
		if _, err := db.SQL().Exec(`CREATE TABLE kb_bench_done (at TIMESTAMPTZ DEFAULT now())`); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// benchQueries is what people type: frequent support words, rarer ones, two and three words,
// inflected and unaccented forms, and words of the long tail.
func benchQueries() []string {
	fr, en := benchVocab(benchWordsFR, 1, 30000), benchVocab(benchWordsEN, 2, 30000)
	var qs []string
	for _, r := range []int{0, 1, 3, 7, 15, 30, 60, 100, 140} { // single words, frequent to rare support words
		qs = append(qs, fr[r], en[r])
	}
	for _, r := range [][2]int{{0, 5}, {2, 40}, {10, 80}, {20, 120}, {4, 9}} { // two words
		qs = append(qs, fr[r[0]]+" "+fr[r[1]], en[r[0]]+" "+en[r[1]])
	}
	qs = append(qs, fr[1]+" "+fr[12]+" "+fr[50], en[1]+" "+en[12]+" "+en[50]) // three words
	for _, r := range []int{300, 1000, 5000, 20000} {                         // the tail
		qs = append(qs, fr[r], en[r])
	}
	qs = append(qs, "serveurs", "deploiements", "errors", "certificats expires", "mot de passe", "connexions refusees")
	return qs
}

// BenchmarkSearch measures full-text search over a seeded desk: OPSDESK_BENCH_TICKETS tickets
// (default 20,000; the target is 1,000,000) and OPSDESK_BENCH_ARTICLES articles (default 1,000;
// the target is 10,000), as staff and as a customer, over tickets and articles or one kind.
// Each iteration is one query of benchQueries, in turn; it reports p50 and p99 latency.
func BenchmarkSearch(b *testing.B) {
	nTickets, nArticles := benchEnv(b, "OPSDESK_BENCH_TICKETS", 20_000), benchEnv(b, "OPSDESK_BENCH_ARTICLES", 1_000)
	queries := benchQueries()
	for _, d := range storetest.Dialects() {
		// Seeding happens inside the dialect's sub-benchmark, so -bench 'Search/postgres' seeds
		// PostgreSQL only.
		b.Run(fmt.Sprintf("%s/%d", d, nTickets), func(b *testing.B) {
			db := kbBenchDB(b, d, nTickets, nArticles)
			cust, err := db.CustomerByCode(admin, "K03")
			if err != nil {
				b.Fatal(err)
			}
			staff := opsdesk.WithActor(context.Background(), opsdesk.Actor{Label: "bench", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1})
			customer := opsdesk.WithActor(context.Background(), opsdesk.Actor{Label: "bench", Role: opsdesk.RoleCustomer, CustomerID: cust.ID})
			for _, c := range []struct {
				name string
				ctx  context.Context
				kind opsdesk.SearchKind
			}{
				{"staff/all", staff, ""},
				{"staff/tickets", staff, opsdesk.SearchTickets},
				{"customer/all", customer, ""},
				{"customer/articles", customer, opsdesk.SearchArticles},
			} {
				b.Run(c.name, func(b *testing.B) {
					var lat []time.Duration
					hits, i := 0, 0
					for b.Loop() {
						t0 := time.Now()
						res, err := db.Search(c.ctx, opsdesk.SearchQuery{Text: queries[i%len(queries)], Kind: c.kind})
						if err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
						hits += len(res)
						i++
					}
					slices.Sort(lat)
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
					b.ReportMetric(float64(hits)/float64(len(lat)), "hits/op")
				})
			}
		})
	}
}

func benchEnv(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.ReplaceAll(v, "_", ""))
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}
