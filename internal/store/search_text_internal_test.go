package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func TestSearchFold(t *testing.T) {
	for in, want := range map[string]string{
		"Déploiement":        "deploiement",
		"DÉPLOIEMENTS":       "deploiements",
		"Œuvre Cœur":         "oeuvre coeur",
		"naïve façade":       "naive facade",
		"Straße":             "strasse",
		"ﬁchier":             "fichier", // ligature (compatibility decomposition)
		"e\u0301te\u0301":    "ete",     // already decomposed accents
		"plain ASCII Words":  "plain ascii words",
		"Ærø Łódź":           "aero lodz",
		"über-größe_2.0 v1":  "uber-grosse_2.0 v1",
		"日本語のテキスト":           "日本語のテキスト",
		"Ελληνικά":           "ελληνικα",
		"":                   "",
		"l'équipe d’exploit": "l'equipe d’exploit",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearchWords(t *testing.T) {
	long := strings.Repeat("x", maxWordLen+1)
	got := words(fold("L'application a planté : erreur HTTP-500 sur /api/v2/export_factures (" + long + ") à 10h30."))
	want := []string{"l", "application", "a", "plante", "erreur", "http", "500", "sur", "api", "v2", "export", "factures", "a", "10h30"}
	if !slices.Equal(got, want) {
		t.Errorf("words = %q\nwant    %q", got, want)
	}
}

func TestSearchStems(t *testing.T) {
	// Forms that must meet: what a reader types and what the text says.
	for _, c := range []struct {
		a, b string
		lang opsdesk.Lang
	}{
		{"déploiements", "déploiement", opsdesk.LangFR},
		{"deploiement", "Déploiement", opsdesk.LangFR},
		{"serveurs", "serveur", opsdesk.LangFR},
		{"installations", "installation", opsdesk.LangFR},
		{"utilisateurs", "utilisateur", opsdesk.LangFR},
		{"deploying", "deployed", opsdesk.LangEN},
		{"deploys", "deploy", opsdesk.LangEN},
		{"servers", "server", opsdesk.LangEN},
		{"failures", "failure", opsdesk.LangEN},
	} {
		if a, b := ftsText(c.a, c.lang), ftsText(c.b, c.lang); a != b {
			t.Errorf("%s: %q → %q but %q → %q", c.lang, c.a, a, c.b, b)
		}
	}
	// A ticket (no language) is indexed with both stems of each word; a query matches by either.
	for _, c := range [][2]string{{"déploiements", "déploiement"}, {"deploying", "deployed"}, {"serveurs", "serveur"}} {
		a, b := strings.Fields(ftsText(c[0], "")), strings.Fields(ftsText(c[1], ""))
		if !slices.ContainsFunc(a, func(s string) bool { return slices.Contains(b, s) }) {
			t.Errorf("no common stem: %q → %q, %q → %q", c[0], a, c[1], b)
		}
	}
	// Words with digits are not stemmed (PostgreSQL indexes them whole), and a ticket (no
	// language) gets both stems of a word.
	if got := ftsText("erreurs 500s", opsdesk.LangFR); got != "erreur 500s" {
		t.Errorf("digits: %q", got)
	}
	if got := ftsText("deployments", ""); got != "deployment deploy" {
		t.Errorf("both languages: %q", got)
	}
}

func TestSearchParseQuery(t *testing.T) {
	q := parseQuery(`Le "déploiement" des SERVEURS -- the deploy, deploy OR NEAR`)
	if want := []string{"deploiement", "serveurs", "deploy", "near"}; !slices.Equal(q.words, want) {
		t.Errorf("words = %q, want %q (stop words and repeats dropped)", q.words, want)
	}
	m := q.ftsMatch([]string{"s0", "s7"})
	want := `{title body} : (("deploi" OR "deploiement") AND ("serveur") AND ("deploy") AND ("near")) AND scope : ("s0" OR "s7")`
	if m != want {
		t.Errorf("match =\n%s\nwant\n%s", m, want)
	}
	if q := parseQuery("le la de the of"); len(q.words) != 0 {
		t.Errorf("stop words give %q", q.words)
	}
	if q := parseQuery(strings.Repeat("mot", 1) + strings.Repeat(" mot", 3) + " a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13"); len(q.words) != maxQueryWords {
		t.Errorf("%d words, want %d", len(q.words), maxQueryWords)
	}
}

func TestSearchSnippet(t *testing.T) {
	q := parseQuery("certificats expiré")
	// Whole text when short; accented, capitalised forms marked as written.
	h := q.snippet("Le Certificat a EXPIRÉ hier.", opsdesk.LangFR)
	if got := h.Matches(); !slices.Equal(got, []string{"Certificat", "EXPIRÉ"}) || h.String() != "Le Certificat a EXPIRÉ hier." {
		t.Errorf("snippet = %+v", h)
	}
	// A long text: the window with both words, cut on both sides, whitespace collapsed.
	filler := strings.Repeat("rien à signaler ici\n", 30)
	text := filler + "un certificat seul. " + filler + "Le certificat du frontal a expiré cette nuit." + filler
	h = q.snippet(text, opsdesk.LangFR)
	s := h.String()
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") || !strings.Contains(s, "Le certificat du frontal a expiré cette nuit.") ||
		strings.Contains(s, "\n") || len(strings.Fields(s)) > snippetWords+2 {
		t.Errorf("snippet = %q", s)
	}
	if got := h.Matches(); !slices.Equal(got, []string{"certificat", "expiré"}) {
		t.Errorf("matches = %q", got)
	}
	// No match: the beginning.
	if s := q.snippet("Rien de tel.", opsdesk.LangFR).String(); s != "Rien de tel." {
		t.Errorf("no match: %q", s)
	}
	// Markdown markers go before indexing and snippets.
	if got := plainMarkdown("## Titre\n- **gras** et [lien](https://x.example/y) `code`\n> cité"); got != "Titre\ngras et lien code\ncité" {
		t.Errorf("plain markdown = %q", got)
	}
}

func TestKBDiffLines(t *testing.T) {
	lines := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	render := func(d []opsdesk.DiffLine) string {
		var parts []string
		for _, l := range d {
			parts = append(parts, string(l.Op)+l.Text)
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct{ a, b, want string }{
		{"a|b|c", "a|b|c", "=a =b =c"},
		{"a|b|c", "a|x|c", "=a -b +x =c"},
		{"a|b|c", "a|c", "=a -b =c"},
		{"a|c", "a|b|c", "=a +b =c"},
		{"", "a", "+a"},
		{"a", "", "-a"},
		{"a|b|c|d", "b|c|d|e", "-a =b =c =d +e"},
		{"x|a|b|y", "x|b|a|y", "=x -a =b +a =y"},
		{"a|b|a|b", "b|a|b|a", "-a =b =a =b +a"},
	} {
		if got := render(diffLines(lines(c.a), lines(c.b))); got != c.want {
			t.Errorf("diff %q → %q = %q, want %q", c.a, c.b, got, c.want)
		}
	}
	// Any diff rebuilds both sides.
	a := strings.Split("one two three four five six seven eight nine ten", " ")
	b := strings.Split("zero two three five six eight nine ten eleven", " ")
	var ra, rb []string
	for _, l := range diffLines(a, b) {
		if l.Op != opsdesk.DiffInsert {
			ra = append(ra, l.Text)
		}
		if l.Op != opsdesk.DiffDelete {
			rb = append(rb, l.Text)
		}
	}
	if !slices.Equal(ra, a) || !slices.Equal(rb, b) {
		t.Errorf("diff does not rebuild its sides: %v / %v", ra, rb)
	}
}

func TestSearchInList(t *testing.T) {
	for n, want := range map[int]int{1: 1, 2: 4, 4: 4, 5: 16, 17: 64, 64: 64, 65: 128, 201: 256} {
		ids := make([]any, n)
		for i := range ids {
			ids[i] = int64(i + 1)
		}
		in, args := inList(ids)
		if len(args) != want || strings.Count(in, "?") != want || args[want-1] != int64(n) || len(ids) != n {
			t.Errorf("inList(%d ids) = %d placeholders, %d args (last %v); want %d, padded with the last id", n, strings.Count(in, "?"), len(args), args[len(args)-1], want)
		}
	}
}
