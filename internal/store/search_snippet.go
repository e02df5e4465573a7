package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// snippetWords is the length of a snippet, in words.
const snippetWords = 30

// span is a word of an original text: bytes [start, end).
type span struct {
	start, end int
	match      bool
}

// spans finds the words of an original (unfolded) text, a word being letters and digits with
// their combining accents.
func spans(s string) []span {
	var out []span
	start := -1
	for i, r := range s {
		in := isWordRune(r) || (start >= 0 && unicode.Is(unicode.Mn, r))
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, span{start: start, end: i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, span{start: start, end: len(s)})
	}
	return out
}

// highlight marks every word of s that the query looks for.
func (q query) highlight(s string, lang opsdesk.Lang) opsdesk.Highlighted {
	ws := spans(s)
	for i := range ws {
		ws[i].match = q.wordIndex(s[ws[i].start:ws[i].end], lang) >= 0
	}
	return fragments(s, ws, 0, len(s))
}

// snippet picks the passage of s (at most snippetWords words) with the most distinct query
// words, and marks them; "…" says the text goes on before or after. Whitespace is collapsed.
// A text without a match gives its beginning.
func (q query) snippet(s string, lang opsdesk.Lang) opsdesk.Highlighted {
	s = strings.Join(strings.Fields(clip(s, 4*maxIndexedText)), " ")
	ws := spans(s)
	if len(ws) == 0 {
		return nil
	}
	// Which query word each text word matches (-1: none).
	which := make([]int, len(ws))
	seen := map[string]int{}
	for i := range ws {
		word := s[ws[i].start:ws[i].end]
		j, ok := seen[word]
		if !ok {
			j = q.wordIndex(word, lang)
			seen[word] = j
		}
		which[i], ws[i].match = j, j >= 0
	}
	// The window starting at a match with the most distinct words, then the most matches.
	best, bestScore := 0, -1
	for i := range ws {
		if which[i] < 0 {
			continue
		}
		distinct := map[int]bool{}
		n := 0
		for k := i; k < len(ws) && k < i+snippetWords; k++ {
			if which[k] >= 0 {
				distinct[which[k]] = true
				n++
			}
		}
		if score := len(distinct)*1000 + n; score > bestScore {
			best, bestScore = i, score
		}
	}
	// Some words of context before the first match, when the window has room.
	first := max(0, best-4)
	last := min(len(ws), first+snippetWords) - 1
	start, end := ws[first].start, ws[last].end
	if first == 0 {
		start = 0
	}
	if last == len(ws)-1 {
		end = len(s)
	}
	h := fragments(s, ws[first:last+1], start, end)
	if start > 0 {
		h = append(opsdesk.Highlighted{{Text: "…"}}, h...)
	}
	if end < len(s) {
		h = append(h, opsdesk.Fragment{Text: "…"})
	}
	return h
}

// fragments cuts s[start:end] at the matched words of ws, merging neighbours of the same kind.
func fragments(s string, ws []span, start, end int) opsdesk.Highlighted {
	var h opsdesk.Highlighted
	add := func(text string, match bool) {
		if text == "" {
			return
		}
		if n := len(h); n > 0 && h[n-1].Match == match {
			h[n-1].Text += text
			return
		}
		h = append(h, opsdesk.Fragment{Text: text, Match: match})
	}
	at := start
	for _, w := range ws {
		if !w.match || w.start < start || w.end > end {
			continue
		}
		add(s[at:w.start], false)
		add(s[w.start:w.end], true)
		at = w.end
	}
	add(s[at:end], false)
	if !utf8.ValidString(h.String()) {
		return opsdesk.Highlighted{{Text: strings.ToValidUTF8(s[start:end], "")}}
	}
	return h
}
