package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// articleColumns reads an article's own row (alias a); texts, tags and customers come after.
const articleColumns = `a.id, a.kind, a.status, a.visibility, a.category, a.created_by, a.created_by_label,
	a.created_at, a.updated_at, a.published_at, a.version`

func scanArticle(sc scanner) (*opsdesk.Article, error) {
	var a opsdesk.Article
	var by, published sql.NullInt64
	var created, updated int64
	err := sc.Scan(&a.ID, &a.Kind, &a.Status, &a.Visibility, &a.Category, &by, &a.CreatedBy,
		&created, &updated, &published, &a.Version)
	a.CreatedByID = by.Int64
	a.CreatedAt, a.UpdatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true}), fromMS(sql.NullInt64{Int64: updated, Valid: true})
	a.PublishedAt = fromMS(published)
	return &a, err
}

// queryFunc is d.query or tx.query, so that the readers below serve both.
type queryFunc func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

// readMode says how much of the texts a read fills.
type readMode int

const (
	readTitles readMode = iota // titles only: lists
	readFull                   // bodies and steps too
)

// articleReach is the condition (on alias a) that keeps an actor to the articles it may read:
// everything for staff; for a customer, the published articles shown to every customer or
// restricted to a list that holds theirs.
func articleReach(a opsdesk.Actor) (string, []any) {
	if a.IsStaff() {
		return "", nil
	}
	return ` AND a.status = 'published' AND (a.visibility = 'customers' OR (a.visibility = 'restricted' AND EXISTS
		(SELECT 1 FROM article_customers ac WHERE ac.article_id = a.id AND ac.customer_id = ?)))`, []any{a.CustomerID}
}

// readArticles runs q (which selects articleColumns) and fills each article's texts, tags and
// customers.
func readArticles(ctx context.Context, query queryFunc, q string, args []any, mode readMode) ([]*opsdesk.Article, error) {
	arts, err := collect(scanArticle)(query(ctx, q, args...))
	if err != nil || len(arts) == 0 {
		return arts, err
	}
	byID := map[int64]*opsdesk.Article{}
	ids := make([]any, len(arts))
	for i, a := range arts {
		byID[a.ID], ids[i] = a, a.ID
	}
	in, ids := inList(ids)
	body := `''`
	if mode == readFull {
		body = `body`
	}
	// French first: 'fr' sorts after 'en'.
	rows, err := query(ctx, `SELECT article_id, lang, title, `+body+`, revision, updated_at, updated_by
		FROM article_texts WHERE article_id `+in+` ORDER BY article_id, lang DESC`, ids...)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(sc scanner) error {
		var id, updated int64
		var t opsdesk.ArticleText
		if err := sc.Scan(&id, &t.Lang, &t.Title, &t.Body, &t.Revision, &updated, &t.UpdatedBy); err != nil {
			return err
		}
		t.UpdatedAt = fromMS(sql.NullInt64{Int64: updated, Valid: true})
		byID[id].Texts = append(byID[id].Texts, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if mode == readFull {
		rows, err := query(ctx, `SELECT article_id, lang, position, instruction, expected FROM article_steps
			WHERE article_id `+in+` ORDER BY article_id, lang, position`, ids...)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func(sc scanner) error {
			var id int64
			var lang opsdesk.Lang
			var s opsdesk.Step
			if err := sc.Scan(&id, &lang, &s.Position, &s.Instruction, &s.Expected); err != nil {
				return err
			}
			for i := range byID[id].Texts {
				if t := &byID[id].Texts[i]; t.Lang == lang {
					t.Steps = append(t.Steps, s)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rows, err = query(ctx, `SELECT article_id, tag FROM article_tags WHERE article_id `+in+` ORDER BY tag`, ids...)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func(sc scanner) error {
		var id int64
		var tag string
		err := sc.Scan(&id, &tag)
		byID[id].Tags = append(byID[id].Tags, tag)
		return err
	})
	if err != nil {
		return nil, err
	}
	rows, err = query(ctx, `SELECT ac.article_id, c.code FROM article_customers ac JOIN customers c ON c.id = ac.customer_id
		WHERE ac.article_id `+in+` ORDER BY c.code`, ids...)
	if err != nil {
		return nil, err
	}
	return arts, eachRow(rows, func(sc scanner) error {
		var id int64
		var code string
		err := sc.Scan(&id, &code)
		byID[id].Customers = append(byID[id].Customers, code)
		return err
	})
}

// eachRow calls fn on every row, closing the rows.
func eachRow(rows *sql.Rows, fn func(scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// fillUsage sets the counts staff see on each article: tickets linked, requests deflected.
func (d *DB) fillUsage(ctx context.Context, arts []*opsdesk.Article) error {
	if len(arts) == 0 {
		return nil
	}
	byID := map[int64]*opsdesk.Article{}
	ids := make([]any, len(arts))
	for i, a := range arts {
		byID[a.ID], ids[i] = a, a.ID
	}
	in, ids := inList(ids)
	for _, c := range []struct {
		q   string
		set func(*opsdesk.Article, int)
	}{
		{`SELECT article_id, COUNT(*) FROM ticket_articles WHERE article_id ` + in + ` GROUP BY article_id`,
			func(a *opsdesk.Article, n int) { a.LinkedTickets = n }},
		{`SELECT article_id, COUNT(*) FROM kb_deflections WHERE article_id ` + in + ` GROUP BY article_id`,
			func(a *opsdesk.Article, n int) { a.Deflections = n }},
	} {
		rows, err := d.query(ctx, c.q, ids...)
		if err != nil {
			return err
		}
		err = eachRow(rows, func(sc scanner) error {
			var id int64
			var n int
			err := sc.Scan(&id, &n)
			c.set(byID[id], n)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// forReader trims what a customer must not learn: which other customers read a restricted
// article.
func forReader(a opsdesk.Actor, arts []*opsdesk.Article) {
	if a.IsStaff() {
		return
	}
	for _, art := range arts {
		art.Customers = nil
	}
}

// ArticleByID returns an article with its texts (bodies and steps), tags and customers, if the
// caller may read it: staff read every article; a customer reads published articles shown to
// every customer or to theirs, and anything else answers not found. Staff also get its usage
// counts. Errors: not found, unauthenticated.
func (d *DB) ArticleByID(ctx context.Context, id int64) (*opsdesk.Article, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	reach, args := articleReach(a)
	arts, err := readArticles(ctx, d.query, `SELECT `+articleColumns+` FROM articles a WHERE a.id = ?`+reach,
		append([]any{id}, args...), readFull)
	if err != nil {
		return nil, opsdesk.Internal("store.ArticleByID", err)
	}
	if len(arts) == 0 {
		return nil, opsdesk.NotFound("no article %d", id)
	}
	if a.IsStaff() {
		if err := d.fillUsage(ctx, arts); err != nil {
			return nil, opsdesk.Internal("store.ArticleByID", err)
		}
	}
	forReader(a, arts)
	return arts[0], nil
}

// ArticleTitles returns, in one read, the articles among ids the caller may read (the rule of
// ArticleByID) with their titles only — no bodies, steps or usage counts: the labels of lists
// such as the dashboard's solving articles. Ids that do not exist or that the caller may not
// read are left out. Errors: unauthenticated.
func (d *DB) ArticleTitles(ctx context.Context, ids []int64) ([]*opsdesk.Article, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if len(ids) == 0 {
		return nil, nil
	}
	list := make([]any, len(ids))
	for i, id := range ids {
		list[i] = id
	}
	in, list := inList(list)
	reach, args := articleReach(a)
	arts, err := readArticles(ctx, d.query, `SELECT `+articleColumns+` FROM articles a WHERE a.id `+in+reach,
		append(list, args...), readTitles)
	if err != nil {
		return nil, opsdesk.Internal("store.ArticleTitles", err)
	}
	forReader(a, arts)
	return arts, nil
}

// articleInTx reads an article inside a transaction for a change, locking its row on
// PostgreSQL. Errors: not found.
func (tx *Tx) articleInTx(ctx context.Context, id int64) (*opsdesk.Article, error) {
	q := `SELECT ` + articleColumns + ` FROM articles a WHERE a.id = ?`
	if tx.db.dialect == Postgres {
		q += ` FOR UPDATE`
	}
	arts, err := readArticles(ctx, tx.query, q, []any{id}, readFull)
	if err != nil {
		return nil, err
	}
	if len(arts) == 0 {
		return nil, opsdesk.NotFound("no article %d", id)
	}
	return arts[0], nil
}

// stepsJSON encodes steps for a revision.
func stepsJSON(steps []opsdesk.Step) string {
	if len(steps) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(steps)
	return string(b)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// errNoRows tells whether err means the row is not there.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
