package store

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The text pipeline of search, the same for indexing and for queries on both engines:
//
//	text ─ fold (NFKD, drop combining marks, lower case, œ→oe…) ─ words (runs of letters and
//	digits) ─┬─ PostgreSQL: the words joined by spaces, given to to_tsvector('french'|'english')
//	         └─ SQLite: each word's Snowball stem (French, English or both), one FTS5 token each
//
// Folding in Go rather than with PostgreSQL's unaccent extension keeps it out of the database
// (no CREATE EXTENSION, no superuser) and identical on both engines. Highlighting stems the
// original text's words the same way in Go, so it marks the same words on both.

const (
	// maxIndexedText bounds the part of one text that is indexed (PostgreSQL refuses a
	// tsvector over 1 MB; a pasted log of megabytes would otherwise fail the whole change).
	maxIndexedText = 100_000
	// maxWordLen drops longer "words" (hashes, base64) from the index and from queries.
	maxWordLen = 64
	// maxQueryWords bounds the words of one query.
	maxQueryWords = 12
)

// fold removes accents and letter case: "Déploiement" → "deploiement", "Œuvre" → "oeuvre".
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		case r == 'ø' || r == 'Ø':
			b.WriteByte('o')
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		case r == 'ł' || r == 'Ł':
			b.WriteByte('l')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// isWordRune tells whether r belongs to a word (as SQLite's unicode61 tokenizer sees it too).
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// words splits folded text into words, leaving out those longer than maxWordLen.
func words(folded string) []string {
	var out []string
	for w := range strings.FieldsFuncSeq(folded, func(r rune) bool { return !isWordRune(r) }) {
		if len(w) <= maxWordLen {
			out = append(out, w)
		}
	}
	return out
}

// hasDigit tells whether w holds a digit: PostgreSQL does not stem such words (numword, int).
func hasDigit(w string) bool {
	return strings.ContainsFunc(w, unicode.IsDigit)
}

// stemFR and stemEN stem a folded word as PostgreSQL's french_stem and english_stem do.
func stemFR(w string) string { return stemPair(w).fr }

func stemEN(w string) string { return stemPair(w).en }

// stemmed is a word's French and English stems.
type stemmed struct{ fr, en string }

// stemCache keeps the stems of words seen lately: stemming costs microseconds a word, and the
// words of a desk repeat. It is emptied when it reaches stemCacheMax words.
var stemCache = struct {
	sync.RWMutex
	m map[string]stemmed
}{m: map[string]stemmed{}}

const stemCacheMax = 200_000

func stemPair(w string) stemmed {
	stemCache.RLock()
	s, ok := stemCache.m[w]
	stemCache.RUnlock()
	if ok {
		return s
	}
	s = stemmed{fr: w, en: w}
	if !hasDigit(w) { // PostgreSQL does not stem words with digits (numword, int)
		s = stemmed{fr: french.Stem(w, true), en: english.Stem(w, true)}
	}
	stemCache.Lock()
	if len(stemCache.m) >= stemCacheMax {
		clear(stemCache.m)
	}
	stemCache.m[w] = s
	stemCache.Unlock()
	return s
}

// stems returns the index terms of a folded word in lang; "" (a ticket, of either language)
// gives the French and the English stems.
func stems(w string, lang opsdesk.Lang) []string {
	s := stemPair(w)
	switch {
	case lang == opsdesk.LangFR:
		return []string{s.fr}
	case lang == opsdesk.LangEN:
		return []string{s.en}
	case s.fr == s.en:
		return []string{s.fr}
	}
	return []string{s.fr, s.en}
}

// ftsText is the FTS5 column value of a text on SQLite: its stems separated by spaces.
func ftsText(s string, lang opsdesk.Lang) string {
	var b strings.Builder
	for _, w := range words(fold(clip(s, maxIndexedText))) {
		for _, st := range stems(w, lang) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(st)
		}
	}
	return b.String()
}

// tsText is the text given to to_tsvector on PostgreSQL: folded words separated by spaces, so
// that PostgreSQL's parser splits it exactly as words does.
func tsText(s string) string {
	return strings.Join(words(fold(clip(s, maxIndexedText))), " ")
}

// query is a parsed search: its words (folded, without stop words) and their stems.
type query struct {
	words    []string
	terms    [][]string // per word: its French and English stems
	prefixes map[string]bool
}

// parseQuery reads the words of a search. A query of stop words only has no words.
func parseQuery(text string) query {
	q := query{prefixes: map[string]bool{}}
	seen := map[string]bool{}
	for _, w := range words(fold(text)) {
		if stopWords[w] || seen[w] || len(q.words) == maxQueryWords {
			continue
		}
		seen[w] = true
		ts := stems(w, "")
		q.words = append(q.words, w)
		q.terms = append(q.terms, ts)
		q.prefixes[prefix2(w)] = true
		for _, t := range ts {
			q.prefixes[prefix2(t)] = true
		}
	}
	return q
}

// wordIndex tells which of the query's words a word of a text in lang is (by its stem), or -1.
func (q query) wordIndex(word string, lang opsdesk.Lang) int {
	for _, w := range words(fold(word)) {
		if stopWords[w] || !q.prefixes[prefix2(w)] {
			continue
		}
		for _, st := range stems(w, lang) {
			for j, ts := range q.terms {
				if slices.Contains(ts, st) {
					return j
				}
			}
		}
	}
	return -1
}

// prefix2 is the first two bytes of a word: stemming keeps them, so a word whose prefix is not
// a query word's is not worth stemming.
func prefix2(w string) string { return w[:min(2, len(w))] }

// ftsMatch builds the FTS5 MATCH expression: every word by one of its stems in the title or
// the body, and every scope group by one of its tokens.
func (q query) ftsMatch(scopes ...[]string) string { return q.ftsMatchIn("{title body}", scopes) }

// ftsTitleMatch is ftsMatch for documents that hold every word in their title.
func (q query) ftsTitleMatch(scopes ...[]string) string { return q.ftsMatchIn("{title}", scopes) }

func (q query) ftsMatchIn(cols string, scopes [][]string) string {
	var b strings.Builder
	b.WriteString(cols + " : (")
	for i, ts := range q.terms {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(ftsAny(ts))
	}
	b.WriteString(")")
	for _, s := range scopes {
		b.WriteString(" AND scope : ")
		b.WriteString(ftsAny(s))
	}
	return b.String()
}

// ftsAny is an FTS5 OR of quoted terms.
func ftsAny(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

var (
	mdLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdTag   = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	mdMarks = strings.NewReplacer("**", "", "__", "", "*", "", "`", "", "~~", "")
)

// plainMarkdown reduces a Markdown body to its words for indexing and snippets: link targets,
// HTML tags, heading, quote and list markers, code fences and emphasis go; the text stays.
func plainMarkdown(s string) string {
	if strings.Contains(s, "](") {
		s = mdLink.ReplaceAllString(s, "$1")
	}
	if strings.Contains(s, "<") {
		s = mdTag.ReplaceAllString(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	for line := range strings.Lines(s) {
		b.WriteString(lineMarker(strings.TrimLeft(line, " \t")))
	}
	return mdMarks.Replace(b.String())
}

// lineMarker drops the Markdown marker that starts a line: #…, >, -, *, +, 1. or 1), ```lang.
func lineMarker(l string) string {
	if rest, ok := strings.CutPrefix(l, "```"); ok {
		return strings.TrimLeftFunc(rest, func(r rune) bool { return isWordRune(r) })
	}
	if rest, ok := strings.CutPrefix(l, ">"); ok {
		return strings.TrimPrefix(rest, " ")
	}
	n := 0
	switch {
	case strings.HasPrefix(l, "#"):
		for n < len(l) && n < 6 && l[n] == '#' {
			n++
		}
	case strings.HasPrefix(l, "-") || strings.HasPrefix(l, "*") || strings.HasPrefix(l, "+"):
		n = 1
	default:
		for n < len(l) && l[n] >= '0' && l[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(l) || (l[n] != '.' && l[n] != ')') {
			return l
		}
		n++
	}
	if n < len(l) && (l[n] == ' ' || l[n] == '\t') {
		return l[n+1:]
	}
	return l
}
