package store

import (
	"context"
	"slices"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// UpdateArticle applies a change to an article: settings, texts (each changed text becomes a
// new revision, with p.Note), or the removal of one language. p.Version must be the article's
// current version. Staff change drafts and articles in review; a published article is changed
// by ops managers and admins only. An empty patch changes nothing. Errors: invalid (naming the
// field), not found, forbidden, conflict (version: someone changed it since), unauthenticated.
func (d *DB) UpdateArticle(ctx context.Context, id int64, p *opsdesk.ArticlePatch) (*opsdesk.Article, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team edits the knowledge base")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err := d.inTx(ctx, "store.UpdateArticle", func(tx *Tx) error {
		old, err := tx.articleInTx(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(old, p.Version); err != nil {
			return err
		}
		if p.Empty() {
			return nil
		}
		if err := opsdesk.CheckArticleEdit(a, old.Status); err != nil {
			return err
		}
		return tx.patchArticle(ctx, old, p)
	})
	if err != nil {
		return nil, err
	}
	return d.ArticleByID(ctx, id)
}

func checkVersion(a *opsdesk.Article, v int64) error {
	if a.Version != v {
		return opsdesk.Conflict("version", "article %d was changed since you read it (version %d, now %d): reload it", a.ID, v, a.Version)
	}
	return nil
}

// patchArticle applies a validated patch to the article old, read in this transaction.
func (tx *Tx) patchArticle(ctx context.Context, old *opsdesk.Article, p *opsdesk.ArticlePatch) error {
	nw := *old
	nw.Texts = slices.Clone(old.Texts)
	if p.Category != nil {
		if err := tx.checkCategory(ctx, *p.Category); err != nil {
			return err
		}
		nw.Category = *p.Category
	}
	if p.Tags != nil {
		nw.Tags = *p.Tags
	}
	if p.Visibility != nil || p.Customers != nil {
		if p.Visibility != nil {
			nw.Visibility = *p.Visibility
		}
		codes := old.Customers
		if p.Customers != nil {
			codes = *p.Customers
		} else if nw.Visibility != opsdesk.VisibleRestricted {
			codes = nil
		}
		var err error
		if nw.Customers, err = opsdesk.CheckAudience(nw.Visibility, codes); err != nil {
			return err
		}
	}
	var changed []opsdesk.ArticleText // texts to save, with whether each exists
	var exists []bool
	for _, tp := range p.Texts {
		i := slices.IndexFunc(nw.Texts, func(t opsdesk.ArticleText) bool { return t.Lang == tp.Lang })
		t := opsdesk.ArticleText{Lang: tp.Lang}
		if i >= 0 {
			t = nw.Texts[i]
		}
		if tp.Title != nil {
			t.Title = *tp.Title
		}
		if tp.Body != nil {
			t.Body = *tp.Body
		}
		if tp.Steps != nil {
			t.Steps = slices.Clone(*tp.Steps)
		}
		if err := t.Validate(nw.Kind); err != nil {
			return err
		}
		if i >= 0 && sameText(nw.Texts[i], t) {
			continue
		}
		if i >= 0 {
			nw.Texts[i] = t
		} else {
			nw.Texts = append(nw.Texts, t)
		}
		changed, exists = append(changed, t), append(exists, i >= 0)
	}
	if p.RemoveLang != "" {
		i := slices.IndexFunc(nw.Texts, func(t opsdesk.ArticleText) bool { return t.Lang == p.RemoveLang })
		if i < 0 {
			return opsdesk.Invalid("remove_lang", "the article has no %s text", p.RemoveLang)
		}
		if len(nw.Texts) == 1 {
			return opsdesk.Invalid("remove_lang", "an article keeps at least one text")
		}
		nw.Texts = slices.Delete(nw.Texts, i, i+1)
	}
	changes := opsdesk.Diff(opsdesk.ArticleAuditFields, old.AuditFields(), nw.AuditFields())
	if len(changes) == 0 && len(changed) == 0 {
		return nil
	}
	if err := tx.bumpArticle(ctx, old, nw.Status); err != nil {
		return err
	}
	if p.Category != nil && nw.Category != old.Category {
		if _, err := tx.exec(ctx, `UPDATE articles SET category = ? WHERE id = ?`, nw.Category, old.ID); err != nil {
			return err
		}
	}
	if p.Visibility != nil && nw.Visibility != old.Visibility {
		if _, err := tx.exec(ctx, `UPDATE articles SET visibility = ? WHERE id = ?`, nw.Visibility, old.ID); err != nil {
			return err
		}
	}
	if !slices.Equal(nw.Tags, old.Tags) {
		if err := tx.setTags(ctx, old.ID, nw.Tags); err != nil {
			return err
		}
	}
	if !slices.Equal(nw.Customers, old.Customers) {
		ids, err := tx.customerIDs(ctx, nw.Customers)
		if err != nil {
			return err
		}
		if err := tx.setArticleCustomers(ctx, old.ID, ids); err != nil {
			return err
		}
	}
	for i, t := range changed {
		if err := tx.saveText(ctx, old.ID, t, exists[i], p.Note); err != nil {
			return err
		}
	}
	if p.RemoveLang != "" {
		if _, err := tx.exec(ctx, `DELETE FROM article_texts WHERE article_id = ? AND lang = ?`, old.ID, p.RemoveLang); err != nil {
			return err
		}
	}
	if err := tx.audit(ctx, "article", old.ID, "update", changes); err != nil {
		return err
	}
	return tx.indexArticle(ctx, old.ID)
}

// sameText tells whether two texts say the same (title, body, steps).
func sameText(a, b opsdesk.ArticleText) bool {
	return a.Title == b.Title && a.Body == b.Body && slices.Equal(a.Steps, b.Steps)
}

// bumpArticle marks an article changed now, in status, guarding against a concurrent change.
func (tx *Tx) bumpArticle(ctx context.Context, old *opsdesk.Article, status opsdesk.ArticleStatus) error {
	res, err := tx.exec(ctx, `UPDATE articles SET status = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		status, tx.now.UnixMilli(), old.ID, old.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return opsdesk.Conflict("version", "article %d was changed since you read it: reload it", old.ID)
	}
	return nil
}

// SetArticleStatus moves an article along the workflow (see opsdesk.CheckArticleTransition):
// staff submit drafts for review and send them back; ops managers and admins publish and
// withdraw. version must be the article's current version, so that what is published is what
// the reviewer read. A procedure is published only when each of its texts has steps. note is
// kept in the audit log. Errors: invalid, not found, forbidden, conflict, unauthenticated.
func (d *DB) SetArticleStatus(ctx context.Context, id int64, to opsdesk.ArticleStatus, version int64, note string) (*opsdesk.Article, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team edits the knowledge base")
	}
	err := d.inTx(ctx, "store.SetArticleStatus", func(tx *Tx) error {
		old, err := tx.articleInTx(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(old, version); err != nil {
			return err
		}
		if err := opsdesk.CheckArticleTransition(a, old.Status, to); err != nil {
			return err
		}
		if to == opsdesk.ArticlePublished && old.Kind == opsdesk.ArticleProcedure {
			for _, t := range old.Texts {
				if len(t.Steps) == 0 {
					return opsdesk.Invalid("steps", "the %s text of this procedure has no steps", t.Lang)
				}
			}
		}
		if err := tx.bumpArticle(ctx, old, to); err != nil {
			return err
		}
		if to == opsdesk.ArticlePublished {
			if _, err := tx.exec(ctx, `UPDATE articles SET published_at = ? WHERE id = ?`, tx.now.UnixMilli(), id); err != nil {
				return err
			}
		}
		changes := []opsdesk.Change{{Field: "status", Old: string(old.Status), New: string(to)}}
		if note != "" {
			changes = append(changes, opsdesk.Change{Field: "note", New: note})
		}
		if err := tx.audit(ctx, "article", id, "status", changes); err != nil {
			return err
		}
		return tx.indexArticle(ctx, id)
	})
	if err != nil {
		return nil, err
	}
	return d.ArticleByID(ctx, id)
}

// ArticleSteps returns a procedure's steps in lang, if the caller may read the article.
// Errors: not found (no such article, or no text in lang), unauthenticated.
func (d *DB) ArticleSteps(ctx context.Context, id int64, lang opsdesk.Lang) ([]opsdesk.Step, error) {
	art, err := d.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, t := range art.Texts {
		if t.Lang == lang {
			return t.Steps, nil
		}
	}
	return nil, opsdesk.NotFound("article %d has no %s text", id, lang)
}

// SetArticleSteps replaces a procedure's steps in lang, as UpdateArticle with only those steps
// (a new revision of that text). Errors: as UpdateArticle.
func (d *DB) SetArticleSteps(ctx context.Context, id int64, lang opsdesk.Lang, version int64, steps []opsdesk.Step, note string) (*opsdesk.Article, error) {
	if steps == nil {
		steps = []opsdesk.Step{}
	}
	return d.UpdateArticle(ctx, id, &opsdesk.ArticlePatch{Version: version, Note: note,
		Texts: []opsdesk.TextPatch{{Lang: lang, Steps: &steps}}})
}
