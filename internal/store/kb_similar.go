package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Bounds of the relaxed searches behind SimilarTickets and RelatedArticles.
const (
	relaxedPairs = 3  // pairs of words searched at most, after the whole text
	relaxedPool  = 50 // hits read from each search
	maxRelated   = 20 // largest limit a caller may ask for
	categoryIDs  = 25 // ids per query when reading the category of related articles
)

// SimilarTickets finds the resolved and closed tickets that look like the ticket key (by its
// subject), best first, the ticket itself left out: what the team already solved. The search is
// Search's, so the caller finds only what they may read (staff: every customer's tickets; a
// customer: their organisation's). Matching is relaxed, see relaxedSearch. limit defaults to 5,
// at most 20. Errors: invalid (limit), not found (ticket), unauthenticated.
func (d *DB) SimilarTickets(ctx context.Context, key string, limit int) ([]opsdesk.SearchHit, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	done := func(h opsdesk.SearchHit) bool {
		return h.ID != t.ID && (h.Status == string(opsdesk.StatusResolved) || h.Status == string(opsdesk.StatusClosed))
	}
	hits, err := d.relaxedSearch(ctx, "store.SimilarTickets", t.Subject, opsdesk.SearchTickets, limit, done)
	if err != nil {
		return nil, err
	}
	out := []opsdesk.SearchHit{}
	for _, s := range hits[:min(len(hits), limitOr5(limit))] {
		out = append(out, s.hit)
	}
	return out, nil
}

// RelatedArticles finds the articles that match most of the words of text (a ticket's subject,
// or what a customer is typing in the request form), best first; Search's rules decide what
// the caller reads (a customer: the published articles shown to them). Matching is relaxed, see
// relaxedSearch. Among hits of equal score, the articles of category (a ticket's category; ""
// for none) come first. limit defaults to 5, at most 20. Errors: invalid (limit),
// unauthenticated.
func (d *DB) RelatedArticles(ctx context.Context, text, category string, limit int) ([]opsdesk.SearchHit, error) {
	const op = "store.RelatedArticles"
	hits, err := d.relaxedSearch(ctx, op, text, opsdesk.SearchArticles, limit, nil)
	if err != nil {
		return nil, err
	}
	limit = limitOr5(limit)
	if category != "" && len(hits) > 0 {
		// Only the hits tied with the last one shown can change places.
		tied := hits[:min(len(hits), limit)]
		last := tied[len(tied)-1].score
		for len(tied) < len(hits) && hits[len(tied)].score == last && len(tied) < 4*categoryIDs {
			tied = hits[:len(tied)+1]
		}
		same, err := d.articlesOfCategory(ctx, tied, category)
		if err != nil {
			return nil, wrapErr(op, err)
		}
		slices.SortStableFunc(tied, func(x, y *scored) int {
			return cmp.Or(cmp.Compare(y.score, x.score), -cmp.Compare(b2i(same[x.hit.ID]), b2i(same[y.hit.ID])))
		})
	}
	out := []opsdesk.SearchHit{}
	for _, s := range hits[:min(len(hits), limit)] {
		out = append(out, s.hit)
	}
	return out, nil
}

// articlesOfCategory tells which of the hits' articles are of category, reading their ids
// categoryIDs at a time (the list padded with 0, so that SQLite prepares one statement).
func (d *DB) articlesOfCategory(ctx context.Context, hits []*scored, category string) (map[int64]bool, error) {
	q := `SELECT id FROM articles WHERE category = ? AND id IN (?` + strings.Repeat(", ?", categoryIDs-1) + `)`
	out := map[int64]bool{}
	for start := 0; start < len(hits); start += categoryIDs {
		args := []any{category}
		for i := start; i < start+categoryIDs; i++ {
			var id int64
			if i < len(hits) {
				id = hits[i].hit.ID
			}
			args = append(args, id)
		}
		rows, err := d.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("article categories: %w", err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("article categories: %w", err)
			}
			out[id] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("article categories: %w", err)
		}
	}
	return out, nil
}

// scored is a hit of relaxedSearch with its score and the order it was first found in.
type scored struct {
	hit          opsdesk.SearchHit
	score, order int
}

// limitOr5 is a relaxed search's limit, 5 when none is given.
func limitOr5(limit int) int {
	if limit <= 0 {
		return 5
	}
	return limit
}

// relaxedSearch runs Search over the words of text, whole and in smaller groups, since a
// subject of six words rarely holds every word of another: the whole text, then at most
// relaxedPairs pairs of adjacent words, those of the longest words (see relaxedGroups) — at
// most four searches. A hit scores the number of words of every search that found it; the best
// score comes first, then the order of the first search that found it (whose snippet it keeps).
// keep, when set, drops the hits it refuses. When the whole text alone finds limit hits, the
// pairs are not searched: every pair would find those hits again, and no other hit could reach
// their score. The hits come back sorted, all of them (the caller cuts at limit).
func (d *DB) relaxedSearch(ctx context.Context, op, text string, kind opsdesk.SearchKind, limit int,
	keep func(opsdesk.SearchHit) bool) ([]*scored, error) {
	limit = limitOr5(limit)
	if limit > maxRelated {
		return nil, opsdesk.Invalid("limit", "must be at most %d", maxRelated)
	}
	if opsdesk.ActorFrom(ctx).Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	found := map[int64]*scored{}
	for i, ws := range relaxedGroups(parseQuery(text).words) {
		if i == 1 && len(found) >= limit {
			break // the whole text found enough hits of the best score
		}
		hits, err := d.Search(ctx, opsdesk.SearchQuery{Text: strings.Join(ws, " "), Kind: kind, Limit: relaxedPool})
		if err != nil {
			return nil, wrapErr(op, err)
		}
		for _, h := range hits {
			if keep != nil && !keep(h) {
				continue
			}
			s := found[h.ID]
			if s == nil {
				s = &scored{hit: h, order: len(found)}
				found[h.ID] = s
			}
			s.score += len(ws)
		}
	}
	all := make([]*scored, 0, len(found))
	for _, s := range found {
		all = append(all, s)
	}
	slices.SortFunc(all, func(x, y *scored) int { return cmp.Or(cmp.Compare(y.score, x.score), cmp.Compare(x.order, y.order)) })
	return all, nil
}

// relaxedGroups are the groups of words relaxedSearch looks for, largest first: the whole text;
// for two words, each word alone; for three or more, the relaxedPairs pairs of adjacent words
// that weigh the most (in text order). Stop words are already gone (parseQuery), so no pair is
// made of them only; a word weighs its length in letters, a short word (under three letters) or
// a number nothing — they are the commonest or the least telling.
func relaxedGroups(words []string) [][]string {
	switch len(words) {
	case 0:
		return nil
	case 1:
		return [][]string{words}
	case 2:
		return [][]string{words, words[:1], words[1:]}
	}
	groups := [][]string{words}
	type pair struct{ at, weight int }
	pairs := make([]pair, 0, len(words)-1)
	for i := 0; i+1 < len(words); i++ {
		pairs = append(pairs, pair{i, wordWeight(words[i]) + wordWeight(words[i+1])})
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(y.weight, x.weight) })
	pairs = pairs[:min(len(pairs), relaxedPairs)]
	slices.SortFunc(pairs, func(x, y pair) int { return cmp.Compare(x.at, y.at) })
	for _, p := range pairs {
		groups = append(groups, words[p.at:p.at+2])
	}
	return groups
}

// wordWeight is how telling a (folded) word looks: its length in letters, 0 for a number or a
// word under three letters.
func wordWeight(w string) int {
	n := utf8.RuneCountInString(w)
	if n < 3 || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return 0
	}
	return n
}
