package store

import (
	"context"
	"slices"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// CreateArticle writes a new article or procedure as a draft, each of its texts as its first
// revision, and indexes it for search (staff find it at once; customers once it is published
// for them). Any member of staff writes drafts. Errors: invalid (naming the field: an unknown
// category or customer code included), forbidden, unauthenticated.
func (d *DB) CreateArticle(ctx context.Context, n *opsdesk.NewArticle) (*opsdesk.Article, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team writes articles")
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := d.inTx(ctx, "store.CreateArticle", func(tx *Tx) error {
		if err := tx.checkCategory(ctx, n.Category); err != nil {
			return err
		}
		var err error
		id, err = tx.insertArticle(ctx, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return d.ArticleByID(ctx, id)
}

// insertArticle writes a validated new article as a draft (its category checked by the
// caller), its texts as first revisions, its tags and customers, audits and indexes it.
func (tx *Tx) insertArticle(ctx context.Context, n *opsdesk.NewArticle) (int64, error) {
	a := opsdesk.ActorFrom(ctx)
	custs, err := tx.customerIDs(ctx, n.Customers)
	if err != nil {
		return 0, err
	}
	id, err := tx.insert(ctx, `INSERT INTO articles (kind, status, visibility, category, created_by, created_by_label, created_at, updated_at)
		VALUES (?, 'draft', ?, ?, ?, ?, ?, ?)`, n.Kind, n.Visibility, n.Category, nullID(a.UserID), a.Label,
		tx.now.UnixMilli(), tx.now.UnixMilli())
	if err != nil {
		return 0, err
	}
	for _, t := range n.Texts {
		if err := tx.saveText(ctx, id, t, false, n.Note); err != nil {
			return 0, err
		}
	}
	if err := tx.setTags(ctx, id, n.Tags); err != nil {
		return 0, err
	}
	if err := tx.setArticleCustomers(ctx, id, custs); err != nil {
		return 0, err
	}
	art := &opsdesk.Article{Kind: n.Kind, Status: opsdesk.ArticleDraft, Visibility: n.Visibility, Customers: n.Customers,
		Category: n.Category, Tags: n.Tags, Texts: n.Texts}
	if err := tx.audit(ctx, "article", id, "create", opsdesk.Diff(opsdesk.ArticleAuditFields, nil, art.AuditFields())); err != nil {
		return 0, err
	}
	return id, tx.indexArticle(ctx, id)
}

// saveText writes an article's text in one language (replacing it when exists) with its steps,
// and records it as the article's next revision.
func (tx *Tx) saveText(ctx context.Context, articleID int64, t opsdesk.ArticleText, exists bool, note string) error {
	a := opsdesk.ActorFrom(ctx)
	var rev int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM article_revisions WHERE article_id = ?`, articleID).Scan(&rev); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO article_revisions (article_id, number, lang, title, body, steps, author_id, author_label, note, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, articleID, rev, t.Lang, t.Title, t.Body, stepsJSON(t.Steps),
		nullID(a.UserID), a.Label, note, tx.now.UnixMilli()); err != nil {
		return err
	}
	if exists {
		if _, err := tx.exec(ctx, `DELETE FROM article_steps WHERE article_id = ? AND lang = ?`, articleID, t.Lang); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE article_texts SET title = ?, body = ?, revision = ?, updated_at = ?, updated_by = ?
			WHERE article_id = ? AND lang = ?`, t.Title, t.Body, rev, tx.now.UnixMilli(), a.Label, articleID, t.Lang); err != nil {
			return err
		}
	} else if _, err := tx.exec(ctx, `INSERT INTO article_texts (article_id, lang, title, body, revision, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, articleID, t.Lang, t.Title, t.Body, rev, tx.now.UnixMilli(), a.Label); err != nil {
		return err
	}
	for _, s := range t.Steps {
		if _, err := tx.exec(ctx, `INSERT INTO article_steps (article_id, lang, position, instruction, expected) VALUES (?, ?, ?, ?, ?)`,
			articleID, t.Lang, s.Position, s.Instruction, s.Expected); err != nil {
			return err
		}
	}
	return nil
}

// setTags replaces an article's tags.
func (tx *Tx) setTags(ctx context.Context, id int64, tags []string) error {
	if _, err := tx.exec(ctx, `DELETE FROM article_tags WHERE article_id = ?`, id); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tx.exec(ctx, `INSERT INTO article_tags (article_id, tag) VALUES (?, ?)`, id, t); err != nil {
			return err
		}
	}
	return nil
}

// setArticleCustomers replaces the customers a restricted article is shown to.
func (tx *Tx) setArticleCustomers(ctx context.Context, id int64, custs []int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM article_customers WHERE article_id = ?`, id); err != nil {
		return err
	}
	for _, c := range custs {
		if _, err := tx.exec(ctx, `INSERT INTO article_customers (article_id, customer_id) VALUES (?, ?)`, id, c); err != nil {
			return err
		}
	}
	return nil
}

// customerIDs resolves customer codes. Errors: invalid (customers), naming an unknown code.
func (tx *Tx) customerIDs(ctx context.Context, codes []string) ([]int64, error) {
	var ids []int64
	for _, c := range codes {
		var id int64
		err := tx.queryRow(ctx, `SELECT id FROM customers WHERE code = ?`, c).Scan(&id)
		if errNoRows(err) {
			return nil, opsdesk.Invalid("customers", "no customer %s", c)
		}
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// checkCategory accepts "" or a ticket category's code. Errors: invalid (category).
func (tx *Tx) checkCategory(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM categories WHERE code = ?`, code).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opsdesk.Invalid("category", "no category %q", code)
	}
	return nil
}
