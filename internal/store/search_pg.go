package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Search on PostgreSQL (docs/kb.md, Ranking; docs/benchmarks.md, Search). The candidates of a
// kind are the searchWindow most recent documents whose tsv holds every word and the titleWindow
// most recent whose title_tsv does; they are ranked with ts_rank over the tsvector (title A, body
// D: a title match weighs ten times a body match, and counts occurrences); each word matches by
// its French or its English lexeme.
//
// How the candidates are found is the planner's choice, made with the words written out in the
// statement: for a common word it walks back from the newest document and stops at the window;
// for a rare one it reads the GIN index. It needs to know how common the words are: the
// statistics of tsv keep 10,000 lexemes (migration 0014), and each search runs as an unnamed
// statement (pgx.QueryExecModeExec), planned with its words — a cached prepared statement turns
// to a generic plan after five runs, blind to the words, which over a million tickets reads every
// match of a common word. A customer's ticket search is not left to the planner: see
// customerCandidates.

// pgSearchSettings are the planner settings of a search (SET LOCAL: its transaction only). The
// search table is far larger than the shared buffers and read from the operating system's cache,
// where a page read at random costs about what a page read in order does (random_page_cost);
// work_mem keeps the bitmap of a search exact, so that it reads the matching rows only, not every
// row of the pages it would otherwise mark as lossy.
var pgSearchSettings = []string{`SET LOCAL random_page_cost = 1.1`, `SET LOCAL work_mem = '32MB'`}

// customerWalk is how many of a customer's most recent ticket documents their search walks
// through before it reads the GIN index for the rest (customerCandidates).
const customerWalk = 6000

// pgSearch is one search of one kind: its tsquery and its filters, as SQL and arguments.
type pgSearch struct {
	tsq   string
	qargs []any
	where string
	scope []any
}

func newPGSearch(q query, a opsdesk.Actor, kind opsdesk.SearchKind) pgSearch {
	var s pgSearch
	parts := make([]string, len(q.words))
	for i, w := range q.words {
		// Immutable functions of constants: the planner folds them into the tsquery it
		// estimates with, and the executor does not compute them again for each row. When both
		// stems are the same (most words) the word is written once: the planner would take
		// 'w' | 'w' for two independent lexemes and count its matches twice.
		parts[i] = `(CASE WHEN plainto_tsquery('french', ?) = plainto_tsquery('english', ?) THEN plainto_tsquery('french', ?)
			ELSE plainto_tsquery('french', ?) || plainto_tsquery('english', ?) END)`
		s.qargs = append(s.qargs, w, w, w, w, w)
	}
	s.tsq = `(` + strings.Join(parts, ` && `) + `)`
	// The kind is written out (it is one of two constants) so that the planner picks its indexes.
	s.where = ` AND d.kind = '` + string(kind) + `'`
	switch {
	case a.IsStaff():
	case kind == opsdesk.SearchTickets:
		// A ticket document's scope is its customer, or empty (an internal note): its first
		// element is the customer, the key of search_docs_ticket_customer (migration 0014).
		s.where += ` AND d.scope[1] = ?`
		s.scope = []any{a.CustomerID}
	default:
		s.where += ` AND d.scope && ARRAY[0, ?]::BIGINT[]`
		s.scope = []any{a.CustomerID}
	}
	return s
}

// joinArgs joins argument lists.
func joinArgs(lists ...[]any) []any {
	var out []any
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// pgRun runs the statements of one search in its read-only transaction.
type pgRun struct {
	ctx context.Context
	d   *DB
	tx  *sql.Tx
}

func (r pgRun) exec(stmts ...string) error {
	for _, s := range stmts {
		if _, err := r.tx.ExecContext(r.ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (r pgRun) query(stmt string, args ...any) (*sql.Rows, error) {
	return r.tx.QueryContext(r.ctx, r.d.Rebind(stmt), append([]any{pgx.QueryExecModeExec}, args...)...)
}

// rankPostgres ranks the candidates on PostgreSQL, best first, each ticket or article once by
// its best document.
func (d *DB) rankPostgres(ctx context.Context, q query, a opsdesk.Actor, kind opsdesk.SearchKind, limit int) ([]rawHit, error) {
	s := newPGSearch(q, a, kind)
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := pgRun{ctx: ctx, d: d, tx: tx}
	if err := r.exec(pgSearchSettings...); err != nil {
		return nil, err
	}
	var ids []int64
	if !a.IsStaff() && kind == opsdesk.SearchTickets {
		if ids, err = s.customerCandidates(r, searchWindow, customerWalk); err != nil {
			return nil, err
		}
	}
	stmt, sargs := s.rankSQL(ids, limit)
	hs, err := collect(scanRawHit)(r.query(stmt, sargs...))
	if err != nil {
		return nil, err
	}
	return hs, tx.Commit()
}

// customerCandidates finds the window (searchWindow) most recent documents of a customer's
// tickets that hold every word. Left to the planner, this search went wrong both ways at a
// million tickets: it walked all of a customer's documents (a twentieth of the desk) for two
// words it took for rarer than they are — French words, say, found together in French texts
// more often than chance — or read every match of a common word through the GIN index. So it
// first walks the customer's walk (customerWalk) most recent documents
// (search_docs_ticket_customer: a bounded cost, enough for words in one document in six), walks
// on if it found half the window there, and otherwise reads the GIN indexes for the older ones:
// the words are then in fewer than one document in twelve, and the matches it reads are few.
func (s pgSearch) customerCandidates(r pgRun, window, walk int) ([]int64, error) {
	var lo int64 // the oldest document of the walk; 0: the customer has fewer documents
	err := r.tx.QueryRowContext(r.ctx, r.d.Rebind(`SELECT d.id FROM search_docs d WHERE d.kind = 'ticket' AND d.scope[1] = ?
		ORDER BY d.id DESC OFFSET ? LIMIT 1`), append([]any{pgx.QueryExecModeExec}, joinArgs(s.scope, []any{walk - 1})...)...).Scan(&lo)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err := r.exec(`SET LOCAL enable_bitmapscan = off`); err != nil {
		return nil, err
	}
	ids, err := collect(scanID)(r.query(`SELECT d.id FROM search_docs d WHERE d.tsv @@ `+s.tsq+s.where+` AND d.id >= ?
		ORDER BY d.id DESC LIMIT ?`, joinArgs(s.qargs, s.scope, []any{lo, window})...))
	if err != nil || len(ids) == window || lo == 0 {
		return ids, err
	}
	// Half the window or more found in the walk: the rest is as near, walk on. Less: the words
	// are in fewer than one document in 2*walk/window; read their matches, the customer's — the
	// GIN indexes of the words and of the scope, intersected (given the choice, the planner would
	// read every older document of the customer, whose matches it underestimates).
	where := s.where
	if len(ids) < window/2 {
		where = ` AND d.kind = 'ticket' AND d.scope && ARRAY[?]::BIGINT[]`
		if err := r.exec(`SET LOCAL enable_bitmapscan TO DEFAULT`, `SET LOCAL enable_indexscan = off`, `SET LOCAL enable_seqscan = off`); err != nil {
			return nil, err
		}
	}
	older, err := collect(scanID)(r.query(`SELECT d.id FROM search_docs d WHERE d.tsv @@ `+s.tsq+where+` AND d.id < ?
		ORDER BY d.id DESC LIMIT ?`, joinArgs(s.qargs, s.scope, []any{lo, window - len(ids)})...))
	if err != nil {
		return nil, err
	}
	return append(ids, older...), r.exec(`SET LOCAL enable_bitmapscan TO DEFAULT`, `SET LOCAL enable_indexscan TO DEFAULT`,
		`SET LOCAL enable_seqscan TO DEFAULT`)
}

// rankSQL is the statement that ranks the candidates, and its arguments. ids are the body
// candidates when already found (customerCandidates), nil to find them in the statement.
// Candidates are ids only, so that a title walk reads an index alone (search_docs_ticket_title_id
// or search_docs_ticket_customer); the rows of the 1,500 at most are read once, to rank them.
func (s pgSearch) rankSQL(ids []int64, limit int) (string, []any) {
	body := `SELECT d.id FROM search_docs d WHERE d.tsv @@ ` + s.tsq + s.where + ` ORDER BY d.id DESC LIMIT ?`
	bodyArgs := joinArgs(s.qargs, s.scope, []any{searchWindow})
	if ids != nil {
		body, bodyArgs = `SELECT unnest(?::BIGINT[])`, []any{ids}
	}
	return `WITH c (id) AS (
			(` + body + `)
			UNION ALL
			(SELECT d.id FROM search_docs d WHERE d.title_tsv @@ ` + s.tsq + s.where + ` ORDER BY d.id DESC LIMIT ?))
		SELECT kind, ref_id, message_id, lang, internal, r FROM (
			SELECT DISTINCT ON (m.ref_id) m.id, m.kind, m.ref_id, m.message_id, m.lang, m.internal, ts_rank(m.tsv, ` + s.tsq + `) AS r
			FROM search_docs m WHERE m.id IN (SELECT id FROM c) ORDER BY m.ref_id, r DESC, m.id DESC
		) best
		ORDER BY r DESC, id DESC LIMIT ?`,
		joinArgs(bodyArgs, s.qargs, s.scope, []any{titleWindow}, s.qargs, []any{limit})
}

func scanRawHit(sc scanner) (rawHit, error) {
	var h rawHit
	err := sc.Scan(&h.kind, &h.refID, &h.messageID, &h.lang, &h.internal, &h.rank)
	return h, err
}
