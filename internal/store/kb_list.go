package store

import (
	"context"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ListArticles returns a page of the articles matching f that the caller may read, most
// recently updated first, and the cursor of the next page ("" at the end). Texts carry their
// titles only (no body, no steps): read one article with ArticleByID. Customers list published
// articles shown to them only, whatever f says; staff get usage counts. Errors: invalid,
// unauthenticated.
func (d *DB) ListArticles(ctx context.Context, f opsdesk.ArticleFilter) ([]*opsdesk.Article, string, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, "", opsdesk.Unauthenticated("log in first")
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > 200 {
		return nil, "", opsdesk.Invalid("limit", "must be at most 200")
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, "", opsdesk.Invalid("status", "must be draft, review or published")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, "", opsdesk.Invalid("kind", "must be article or procedure")
	}
	if f.Lang != "" && !f.Lang.Valid() {
		return nil, "", opsdesk.Invalid("lang", "must be fr or en")
	}
	w := []string{"1=1"}
	var args []any
	if f.Status != "" {
		w, args = append(w, "a.status = ?"), append(args, f.Status)
	}
	if f.Kind != "" {
		w, args = append(w, "a.kind = ?"), append(args, f.Kind)
	}
	if f.Category != "" {
		w, args = append(w, "a.category = ?"), append(args, strings.ToLower(f.Category))
	}
	if f.Tag != "" {
		w, args = append(w, "a.id IN (SELECT article_id FROM article_tags WHERE tag = ?)"), append(args, strings.ToLower(strings.TrimSpace(f.Tag)))
	}
	if f.Lang != "" {
		w, args = append(w, "a.id IN (SELECT article_id FROM article_texts WHERE lang = ?)"), append(args, f.Lang)
	}
	if f.Cursor != "" {
		v, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", opsdesk.Invalid("cursor", "is not a cursor this list gave")
		}
		w, args = append(w, "(a.updated_at < ? OR (a.updated_at = ? AND a.id < ?))"), append(args, v, v, id)
	}
	reach, rargs := articleReach(a)
	args = append(append(args, rargs...), f.Limit+1)
	arts, err := readArticles(ctx, d.query, `SELECT `+articleColumns+` FROM articles a WHERE `+strings.Join(w, " AND ")+reach+
		` ORDER BY a.updated_at DESC, a.id DESC LIMIT ?`, args, readTitles)
	if err != nil {
		return nil, "", opsdesk.Internal("store.ListArticles", err)
	}
	next := ""
	if len(arts) > f.Limit {
		arts = arts[:f.Limit]
		last := arts[len(arts)-1]
		next = encodeCursor(last.UpdatedAt.UnixMilli(), last.ID)
	}
	if a.IsStaff() {
		if err := d.fillUsage(ctx, arts); err != nil {
			return nil, "", opsdesk.Internal("store.ListArticles", err)
		}
	}
	forReader(a, arts)
	return arts, next, nil
}
