package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// searchDoc is one document of the search index: a ticket message (the description titled with
// the ticket's subject), or one language of an article.
type searchDoc struct {
	kind      opsdesk.SearchKind
	refID     int64        // the ticket's or the article's id
	messageID int64        // tickets: the message; 0 for a subject indexed alone
	lang      opsdesk.Lang // articles: the text's language; "" (tickets) indexes French and English
	internal  bool         // staff only: an internal note, an article customers do not read
	scope     []int64      // who may find it: 0 every customer, N the users of customer N
	title     string
	body      string
}

// tsvConfigs is the PostgreSQL expression of a text's tsvector per language: an article text's
// own; a ticket, of either language, both configurations.
var tsvConfigs = map[opsdesk.Lang]string{
	opsdesk.LangFR: `to_tsvector('french', ?)`,
	opsdesk.LangEN: `to_tsvector('english', ?)`,
	"":             `to_tsvector('french', ?) || to_tsvector('english', ?)`,
}

// insertDoc adds a document to the index. A document already there (same ticket message or
// article language) is left as it is: a rebuild may meet what a concurrent change just indexed.
func (tx *Tx) insertDoc(ctx context.Context, d searchDoc) error {
	const ins = `INSERT INTO search_docs (kind, ref_id, message_id, lang, internal`
	if tx.db.dialect == Postgres {
		// tsv weighs the title A and the body D; title_tsv finds title matches on their own.
		title, body := tsText(d.title), tsText(d.body)
		args := []any{d.kind, d.refID, d.messageID, d.lang, d.internal, pgArray(d.scope), title, body}
		if d.lang == "" {
			args = []any{d.kind, d.refID, d.messageID, d.lang, d.internal, pgArray(d.scope), title, title, body, body}
		}
		_, err := tx.exec(ctx, ins+`, scope, tsv, title_tsv)
			SELECT ?, ?, ?, ?, ?, CAST(CAST(? AS TEXT) AS BIGINT[]), setweight(v.t, 'A') || setweight(v.b, 'D'), v.t
			FROM (SELECT `+tsvConfigs[d.lang]+` AS t, `+tsvConfigs[d.lang]+` AS b) v
			ON CONFLICT (kind, ref_id, message_id, lang) DO NOTHING`, args...)
		return err
	}
	rows, err := tx.query(ctx, ins+`) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, ref_id, message_id, lang) DO NOTHING RETURNING id`,
		d.kind, d.refID, d.messageID, d.lang, d.internal)
	if err != nil {
		return err
	}
	var id int64
	found := rows.Next()
	if found {
		err = rows.Scan(&id)
	} else {
		err = rows.Err()
	}
	rows.Close()
	if err != nil || !found {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO `+ftsTable[d.kind]+` (rowid, title, body, scope) VALUES (?, ?, ?, ?)`,
		-id, ftsText(d.title, d.lang), ftsText(d.body, d.lang), ftsScope(d.scope))
	return err
}

// deleteDocs removes from the index the documents of kind whose ref_id is in [lo, hi].
func (tx *Tx) deleteDocs(ctx context.Context, kind opsdesk.SearchKind, lo, hi int64) error {
	if tx.db.dialect == SQLite {
		if _, err := tx.exec(ctx, `DELETE FROM `+ftsTable[kind]+` WHERE rowid IN
			(SELECT -id FROM search_docs WHERE kind = ? AND ref_id BETWEEN ? AND ?)`, kind, lo, hi); err != nil {
			return err
		}
	}
	_, err := tx.exec(ctx, `DELETE FROM search_docs WHERE kind = ? AND ref_id BETWEEN ? AND ?`, kind, lo, hi)
	return err
}

// ftsTable is the FTS5 table of each kind of document on SQLite.
var ftsTable = map[opsdesk.SearchKind]string{
	opsdesk.SearchTickets:  "search_fts_ticket",
	opsdesk.SearchArticles: "search_fts_article",
}

// ftsScope is the scope column of a document on SQLite: its audiences as tokens (s0 every
// customer, s42 customer 42), one of which a customer's query requires alongside its words.
func ftsScope(scope []int64) string {
	parts := make([]string, len(scope))
	for i, s := range scope {
		parts[i] = "s" + strconv.FormatInt(s, 10)
	}
	return strings.Join(parts, " ")
}

// pgArray writes ids as a PostgreSQL array literal.
func pgArray(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// indexSubject indexes a new ticket's subject, in the transaction that creates the ticket: as the
// title of the document of its first public message (the description, which createTicket adds
// next), so that a new ticket costs one document, and a match of its subject shows its
// description. indexMessage writes it.
func (tx *Tx) indexSubject(ctx context.Context, ticketID, customerID int64, subject string) error {
	tx.memoSet(ticketCustomerKey(ticketID), customerID)
	tx.memoSet(ticketSubjectKey(ticketID), subject)
	return nil
}

// indexMessage indexes a new message of a ticket, in the transaction that adds it. An internal
// note is found by staff only. The first public message of a new ticket carries its subject.
func (tx *Tx) indexMessage(ctx context.Context, m *opsdesk.Message) error {
	customer, err := remember(tx, ticketCustomerKey(m.TicketID), func() (int64, error) {
		var c int64
		err := tx.queryRow(ctx, `SELECT customer_id FROM tickets WHERE id = ?`, m.TicketID).Scan(&c)
		return c, err
	})
	if err != nil {
		return fmt.Errorf("index message: %w", err)
	}
	d := searchDoc{kind: opsdesk.SearchTickets, refID: m.TicketID, messageID: m.ID, internal: m.Internal, body: m.Body}
	if !m.Internal {
		d.scope = []int64{customer}
	}
	if subject, ok := tx.memo[ticketSubjectKey(m.TicketID)].(string); ok {
		delete(tx.memo, ticketSubjectKey(m.TicketID))
		if m.Internal { // never the case of a description; the subject then stands alone
			return errors.Join(tx.insertDoc(ctx, searchDoc{kind: opsdesk.SearchTickets, refID: m.TicketID, title: subject,
				scope: []int64{customer}}), tx.insertDoc(ctx, d))
		}
		d.title = subject
	}
	return tx.insertDoc(ctx, d)
}

func ticketSubjectKey(id int64) string { return "search.subject:" + strconv.FormatInt(id, 10) }

func ticketCustomerKey(id int64) string { return "search.customer:" + strconv.FormatInt(id, 10) }

// memoSet caches a value for remember.
func (tx *Tx) memoSet(key string, v any) {
	if tx.memo == nil {
		tx.memo = map[string]any{}
	}
	tx.memo[key] = v
}

// indexArticle (re)indexes an article: one document per text, found by customers when it is
// published for them. Every change of an article's texts, status or audience calls it.
func (tx *Tx) indexArticle(ctx context.Context, id int64) error {
	if err := tx.deleteDocs(ctx, opsdesk.SearchArticles, id, id); err != nil {
		return err
	}
	arts, err := readArticles(ctx, tx.query, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ?`, []any{id}, readFull)
	if err != nil || len(arts) == 0 {
		return err
	}
	a := arts[0]
	scope, err := tx.articleScope(ctx, a)
	if err != nil {
		return err
	}
	for _, t := range a.Texts {
		d := searchDoc{kind: opsdesk.SearchArticles, refID: a.ID, lang: t.Lang, internal: scope == nil,
			scope: scope, title: t.Title, body: articleSearchBody(t)}
		if err := tx.insertDoc(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// articleScope is who may find a published article: every customer (0) or the customers it is
// restricted to; nil for staff only.
func (tx *Tx) articleScope(ctx context.Context, a *opsdesk.Article) ([]int64, error) {
	if a.Status != opsdesk.ArticlePublished {
		return nil, nil
	}
	switch a.Visibility {
	case opsdesk.VisibleCustomers:
		return []int64{0}, nil
	case opsdesk.VisibleRestricted:
		return collect(func(sc scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		})(tx.query(ctx, `SELECT customer_id FROM article_customers WHERE article_id = ? ORDER BY customer_id`, a.ID))
	}
	return nil, nil
}

// articleSearchBody is the searchable body of an article text: the Markdown's words, then the
// steps of a procedure with their expected results.
func articleSearchBody(t opsdesk.ArticleText) string {
	var b strings.Builder
	b.WriteString(plainMarkdown(t.Body))
	for _, s := range t.Steps {
		fmt.Fprintf(&b, "\n%d. %s", s.Position, s.Instruction)
		if s.Expected != "" {
			b.WriteString(" → " + s.Expected)
		}
	}
	return b.String()
}
