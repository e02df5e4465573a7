package store

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// rawHit is a ticket or an article as the index ranks it, with its best document.
type rawHit struct {
	kind      opsdesk.SearchKind
	refID     int64
	messageID int64
	lang      opsdesk.Lang
	internal  bool
	rank      float64
}

// Search finds the tickets and articles whose words match q, best first, each once, with its
// title and best passage highlighted. Whatever q says, it finds only what the caller may read:
// staff find every ticket (subject, replies and internal notes) and every article; a customer
// finds their own organisation's tickets by their subject and public messages — never by an
// internal note — and the published articles shown to them. See docs/kb.md for matching and
// ranking. Errors: invalid (kind, limit), unauthenticated.
func (d *DB) Search(ctx context.Context, sq opsdesk.SearchQuery) ([]opsdesk.SearchHit, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if sq.Kind != "" && sq.Kind != opsdesk.SearchTickets && sq.Kind != opsdesk.SearchArticles {
		return nil, opsdesk.Invalid("kind", "must be ticket, article or empty for both")
	}
	if sq.Limit <= 0 {
		sq.Limit = 20
	}
	if sq.Limit > 100 {
		return nil, opsdesk.Invalid("limit", "must be at most 100")
	}
	q := parseQuery(sq.Text)
	if len(q.words) == 0 {
		return []opsdesk.SearchHit{}, nil
	}
	kinds := []opsdesk.SearchKind{opsdesk.SearchArticles, opsdesk.SearchTickets} // articles first among equals
	if sq.Kind != "" {
		kinds = []opsdesk.SearchKind{sq.Kind}
	}
	var raw []rawHit
	for _, k := range kinds {
		var hs []rawHit
		var err error
		if d.dialect == Postgres {
			hs, err = d.rankPostgres(ctx, q, a, k, sq.Limit)
		} else {
			hs, err = d.rankSQLite(ctx, q, a, k, sq.Limit)
		}
		if err != nil {
			return nil, wrapErr("store.Search", err)
		}
		raw = append(raw, hs...)
	}
	// Both kinds are ranked by the same function over the same index, so their ranks compare.
	slices.SortStableFunc(raw, func(x, y rawHit) int { return cmp.Compare(y.rank, x.rank) })
	raw = raw[:min(len(raw), sq.Limit)]
	hits, err := d.searchDetails(ctx, q, a, raw)
	return hits, wrapErr("store.Search", err)
}

// The candidates a search ranks, per kind: the searchWindow most recent documents that hold
// every word, and the titleWindow most recent that hold every word in their title, however old.
// A query matching more (a word found in a third of all tickets) is answered from the most recent
// of its matches and from the titles that match it, so that its cost stays bounded whatever the
// size of the desk; a query matching fewer — any specific one — is ranked over all its matches.
const (
	searchWindow = 1000
	titleWindow  = 500
)

// rankSQLite ranks the candidates on SQLite. FTS5's bm25 is not used: it computes each word's
// rarity by reading the word's whole posting list at every query, a cost that grows with the
// desk (5 ms more per query at 20,000 tickets already; docs/benchmarks.md). Instead a document
// scores, per query word, 1 when the word is in its title and 0.1 when it is in its body only —
// PostgreSQL's weights for A and D — and ties go to the most recent document. Each kind has its
// own FTS5 table; a customer's reach is part of every MATCH expression, as tokens of the scope
// column, so FTS5 intersects it with the words. FTS5 rowids are the documents' ids negated, so
// that its fast, forward order reads the most recent first.
func (d *DB) rankSQLite(ctx context.Context, q query, a opsdesk.Actor, kind opsdesk.SearchKind, limit int) ([]rawHit, error) {
	var scopes [][]string
	if !a.IsStaff() {
		scopes = append(scopes, customerScopes(a, kind))
	}
	fts := ftsTable[kind]
	// The window: ids of the most recent matching documents, newest first.
	ids, err := collect(scanID)(d.query(ctx, `SELECT -rowid FROM `+fts+` WHERE `+fts+` MATCH ? ORDER BY rowid LIMIT ?`,
		q.ftsMatch(scopes...), searchWindow))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	// How many query words each candidate has in its title: all of them for the documents that
	// hold every word in their title (the most recent titleWindow, however old), fewer for
	// documents of the window.
	titled := map[int64]int{}
	all, err := collect(scanID)(d.query(ctx, `SELECT -rowid FROM `+fts+` WHERE `+fts+` MATCH ? ORDER BY rowid LIMIT ?`,
		q.ftsTitleMatch(scopes...), titleWindow))
	if err != nil {
		return nil, err
	}
	for _, id := range all {
		titled[id] = len(q.terms)
	}
	inWindow := func(id int64) bool {
		_, ok := slices.BinarySearchFunc(ids, id, func(x, y int64) int { return cmp.Compare(y, x) })
		return ok
	}
	for _, ts := range q.terms {
		one := query{terms: [][]string{ts}}
		hits, err := collect(scanID)(d.query(ctx, `SELECT -rowid FROM `+fts+` WHERE `+fts+` MATCH ? AND rowid BETWEEN ? AND ?`,
			one.ftsTitleMatch(scopes...), -ids[0], -ids[len(ids)-1]))
		if err != nil {
			return nil, err
		}
		for _, id := range hits {
			if inWindow(id) && titled[id] < len(q.terms) {
				titled[id]++
			}
		}
	}
	// Candidates best first: by words in the title, then the most recent; the first document
	// met of each ticket or article is its best. Their rows are read a few at a time, until
	// limit tickets or articles are found.
	order := slices.Collect(maps.Keys(titled))
	slices.SortFunc(order, func(x, y int64) int { return cmp.Or(cmp.Compare(titled[y], titled[x]), cmp.Compare(y, x)) })
	for _, id := range ids {
		if titled[id] == 0 {
			order = append(order, id)
		}
	}
	var out []rawHit
	seen := map[int64]bool{}
	for len(order) > 0 && len(out) < limit {
		batch := order[:min(len(order), 2*limit)]
		order = order[len(batch):]
		byID := map[int64]rawHit{}
		in, args := inList(anys(batch))
		rows, err := d.query(ctx, `SELECT id, kind, ref_id, message_id, lang, internal FROM search_docs WHERE id `+in, args...)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(sc scanner) error {
			var id int64
			var h rawHit
			err := sc.Scan(&id, &h.kind, &h.refID, &h.messageID, &h.lang, &h.internal)
			byID[id] = h
			return err
		})
		if err != nil {
			return nil, err
		}
		for _, id := range batch {
			h, ok := byID[id]
			if !ok || seen[h.refID] || len(out) == limit {
				continue
			}
			seen[h.refID] = true
			h.rank = 0.1*float64(len(q.terms)) + 0.9*float64(titled[id])
			out = append(out, h)
		}
	}
	return out, nil
}

func scanID(sc scanner) (int64, error) {
	var id int64
	return id, sc.Scan(&id)
}

// anys converts ids for query arguments.
func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// customerScopes are the scope tokens a customer's search requires one of: their organisation's
// (tickets and restricted articles), and every customer's (articles).
func customerScopes(a opsdesk.Actor, kind opsdesk.SearchKind) []string {
	own := "s" + itoa(a.CustomerID)
	if kind == opsdesk.SearchTickets {
		return []string{own}
	}
	return []string{"s0", own}
}
