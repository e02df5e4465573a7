package store

import (
	"context"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// searchDetails turns ranked hits into results: the ticket's number and subject or the
// article's title, and the snippet from the document that ranked best (a ticket matched by its
// subject shows its description, the document that carries the subject). Each hit is checked
// again against the caller's reach, so a stale index could never show what the caller may not
// read.
func (d *DB) searchDetails(ctx context.Context, q query, a opsdesk.Actor, raw []rawHit) ([]opsdesk.SearchHit, error) {
	var ticketIDs, msgIDs, articleIDs []any
	for _, h := range raw {
		switch {
		case h.kind == opsdesk.SearchArticles:
			articleIDs = append(articleIDs, h.refID)
		case h.messageID != 0:
			ticketIDs, msgIDs = append(ticketIDs, h.refID), append(msgIDs, h.messageID)
		default: // a subject indexed alone (a ticket without a public message)
			ticketIDs = append(ticketIDs, h.refID)
		}
	}
	type ticket struct {
		key, subject, status string
		customer             int64
	}
	tickets := map[int64]ticket{}
	if len(ticketIDs) > 0 {
		in, args := inList(ticketIDs)
		rows, err := d.query(ctx, `SELECT id, key, subject, status, customer_id FROM tickets WHERE id `+in, args...)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(sc scanner) error {
			var id int64
			var t ticket
			err := sc.Scan(&id, &t.key, &t.subject, &t.status, &t.customer)
			if err == nil && canSeeCustomer(a, t.customer) {
				tickets[id] = t
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	type message struct {
		ticket   int64
		internal bool
		body     string
	}
	msgs := map[int64]message{} // by message id
	if len(msgIDs) > 0 {
		in, args := inList(msgIDs)
		rows, err := d.query(ctx, `SELECT id, ticket_id, internal, body FROM ticket_messages WHERE id `+in, args...)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(sc scanner) error {
			var id int64
			var m message
			err := sc.Scan(&id, &m.ticket, &m.internal, &m.body)
			if err == nil && (!m.internal || a.IsStaff()) {
				msgs[id] = m
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	articles := map[int64]*opsdesk.Article{}
	if len(articleIDs) > 0 {
		reach, rargs := articleReach(a)
		in, args := inList(articleIDs)
		arts, err := readArticles(ctx, d.query, `SELECT `+articleColumns+` FROM articles a WHERE a.id `+in+reach,
			append(args, rargs...), readFull)
		if err != nil {
			return nil, err
		}
		for _, art := range arts {
			articles[art.ID] = art
		}
	}
	hits := make([]opsdesk.SearchHit, 0, len(raw))
	for _, h := range raw {
		hit := opsdesk.SearchHit{Kind: h.kind, ID: h.refID, MessageID: h.messageID, Rank: h.rank}
		switch h.kind {
		case opsdesk.SearchTickets:
			t, ok := tickets[h.refID]
			if !ok {
				continue
			}
			hit.Key, hit.Status, hit.Title = t.key, t.status, q.highlight(t.subject, "")
			if h.messageID != 0 {
				m, ok := msgs[h.messageID]
				if !ok || m.ticket != h.refID {
					continue // a note the caller may not read, or a stale document
				}
				hit.Internal, hit.Snippet = m.internal, q.snippet(m.body, "")
			}
		case opsdesk.SearchArticles:
			art, ok := articles[h.refID]
			if !ok {
				continue
			}
			t := art.Text(h.lang)
			if t == nil {
				continue
			}
			hit.Status, hit.Lang, hit.Internal = string(art.Status), t.Lang, h.internal
			hit.Title, hit.Snippet = q.highlight(t.Title, t.Lang), q.snippet(articleSearchBody(*t), t.Lang)
		}
		hits = append(hits, hit)
	}
	return hits, nil
}

// inList returns `IN (?, ?, …)` for ids and its arguments. The list is padded (repeating its
// last id) to a size of 1, 4, 16, 64 or a multiple of 64, so that queries built with it come in a
// few shapes and the SQLite statement cache (maxPrepared) is not filled with one per length.
func inList(ids []any) (string, []any) {
	n := len(ids)
	size := 64 * ((n + 63) / 64)
	for _, s := range []int{1, 4, 16} {
		if n <= s {
			size = s
			break
		}
	}
	args := append(make([]any, 0, size), ids...)
	for len(args) < size {
		args = append(args, ids[n-1])
	}
	return `IN (?` + repeat(",?", size-1) + `)`, args
}
