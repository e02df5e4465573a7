package store

import (
	"context"
	"database/sql"
	"errors"
	"math"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// rebuildBatch is the number of tickets indexed per transaction by a rebuild, small enough that
// other writers wait only a moment for each.
const rebuildBatch = 500

// SearchIndexStats counts what a rebuild indexed.
type SearchIndexStats struct {
	Tickets  int
	Messages int
	Articles int
}

// RebuildSearchIndex indexes every ticket (subject and messages) and every article anew, and
// drops documents whose ticket or article no longer exists. It works in small transactions, by
// ranges of ticket ids, so the desk keeps running meanwhile: a change made during the rebuild
// is indexed by its own transaction and never lost or doubled. Admins and ops managers (and the
// system) only. Errors: forbidden.
func (d *DB) RebuildSearchIndex(ctx context.Context) (SearchIndexStats, error) {
	var st SearchIndexStats
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return st, opsdesk.Forbidden("only admins and ops managers rebuild the search index")
	}
	lo := int64(0)
	for {
		var hi sql.NullInt64
		var n int
		err := d.queryRow(ctx, `SELECT MAX(id), COUNT(*) FROM (SELECT id FROM tickets WHERE id > ? ORDER BY id LIMIT ?) s`,
			lo, rebuildBatch).Scan(&hi, &n)
		if err != nil {
			return st, opsdesk.Internal("store.RebuildSearchIndex", err)
		}
		if n == 0 {
			break
		}
		err = d.inTx(ctx, "store.RebuildSearchIndex", func(tx *Tx) error {
			m, err := tx.reindexTickets(ctx, lo+1, hi.Int64)
			st.Messages += m
			return err
		})
		if err != nil {
			return st, err
		}
		st.Tickets += n
		lo = hi.Int64
	}
	err := d.inTx(ctx, "store.RebuildSearchIndex", func(tx *Tx) error {
		if err := tx.deleteDocs(ctx, opsdesk.SearchTickets, lo+1, math.MaxInt64); err != nil {
			return err
		}
		// Documents of articles deleted since they were indexed.
		if tx.db.dialect == SQLite {
			if _, err := tx.exec(ctx, `DELETE FROM search_fts_article WHERE rowid IN (SELECT -id FROM search_docs
				WHERE kind = 'article' AND ref_id NOT IN (SELECT id FROM articles))`); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `DELETE FROM search_docs WHERE kind = 'article' AND ref_id NOT IN (SELECT id FROM articles)`)
		return err
	})
	if err != nil {
		return st, err
	}
	ids, err := collect(func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})(d.query(ctx, `SELECT id FROM articles ORDER BY id`))
	if err != nil {
		return st, opsdesk.Internal("store.RebuildSearchIndex", err)
	}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 100)]
		ids = ids[len(batch):]
		err := d.inTx(ctx, "store.RebuildSearchIndex", func(tx *Tx) error {
			for _, id := range batch {
				if err := tx.indexArticle(ctx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return st, err
		}
		st.Articles += len(batch)
	}
	err = d.inTx(ctx, "store.RebuildSearchIndex", func(tx *Tx) error {
		if tx.db.dialect == SQLite {
			// Merge the index into one segment: queries then read one b-tree per term, and the
			// tombstones of the documents replaced above are dropped.
			for _, t := range ftsTable {
				if _, err := tx.exec(ctx, `INSERT INTO `+t+` (`+t+`) VALUES ('optimize')`); err != nil {
					return err
				}
			}
		}
		_, err := tx.exec(ctx, `DELETE FROM search_meta WHERE name = 'rebuild'`)
		return err
	})
	if err == nil && d.dialect == Postgres {
		// Every document was replaced: VACUUM removes the old ones, which the GIN indexes still
		// list (a search reading them would visit twice the table), and ANALYZE gives the planner
		// the words' new frequencies, by which it chooses how to search (see rankPostgres).
		// Outside a transaction, as VACUUM requires.
		if _, err := d.db.ExecContext(ctx, `VACUUM (ANALYZE) search_docs`); err != nil {
			return st, wrapErr("store.RebuildSearchIndex", err)
		}
	}
	return st, err
}

// reindexTickets indexes anew the tickets whose id is in [lo, hi], and returns the number of
// messages indexed.
func (tx *Tx) reindexTickets(ctx context.Context, lo, hi int64) (int, error) {
	if err := tx.deleteDocs(ctx, opsdesk.SearchTickets, lo, hi); err != nil {
		return 0, err
	}
	type subject struct {
		id, customer int64
		text         string
	}
	subjects, err := collect(func(sc scanner) (subject, error) {
		var s subject
		return s, sc.Scan(&s.id, &s.customer, &s.text)
	})(tx.query(ctx, `SELECT id, customer_id, subject FROM tickets WHERE id BETWEEN ? AND ? ORDER BY id`, lo, hi))
	if err != nil {
		return 0, err
	}
	msgs, err := collect(func(sc scanner) (*opsdesk.Message, error) {
		var m opsdesk.Message
		return &m, sc.Scan(&m.ID, &m.TicketID, &m.Internal, &m.Body)
	})(tx.query(ctx, `SELECT id, ticket_id, internal, body FROM ticket_messages WHERE ticket_id BETWEEN ? AND ? ORDER BY id`, lo, hi))
	if err != nil {
		return 0, err
	}
	// As at creation: the subject goes with the ticket's first public message, or alone when it
	// has none.
	public := map[int64]bool{}
	for _, m := range msgs {
		public[m.TicketID] = public[m.TicketID] || !m.Internal
	}
	for _, s := range subjects {
		if !public[s.id] {
			tx.memoSet(ticketCustomerKey(s.id), s.customer)
			if err := tx.insertDoc(ctx, searchDoc{kind: opsdesk.SearchTickets, refID: s.id, title: s.text, scope: []int64{s.customer}}); err != nil {
				return 0, err
			}
			continue
		}
		if err := tx.indexSubject(ctx, s.id, s.customer, s.text); err != nil {
			return 0, err
		}
	}
	for _, m := range msgs {
		if m.Internal {
			// Not the first public message: keep the subject for that one.
			subject, pending := tx.memo[ticketSubjectKey(m.TicketID)]
			delete(tx.memo, ticketSubjectKey(m.TicketID))
			err := tx.indexMessage(ctx, m)
			if pending {
				tx.memoSet(ticketSubjectKey(m.TicketID), subject)
			}
			if err != nil {
				return 0, err
			}
			continue
		}
		if err := tx.indexMessage(ctx, m); err != nil {
			return 0, err
		}
	}
	return len(msgs), nil
}

// EnsureSearchIndex rebuilds the search index when a migration asked for it (the upgrade that
// created it, over tickets filed before), and reports whether it did. Call it once after
// Migrate; it runs as the system.
func (d *DB) EnsureSearchIndex(ctx context.Context) (bool, error) {
	var why string
	err := d.queryRow(ctx, `SELECT value FROM search_meta WHERE name = 'rebuild'`).Scan(&why)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, opsdesk.Internal("store.EnsureSearchIndex", err)
	}
	_, err = d.RebuildSearchIndex(opsdesk.WithActor(ctx, opsdesk.System("search index")))
	return err == nil, err
}
