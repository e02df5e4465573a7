package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

const revisionColumns = `article_id, number, lang, title, body, steps, author_id, author_label, note, created_at`

func scanRevision(sc scanner) (*opsdesk.Revision, error) {
	var r opsdesk.Revision
	var steps string
	var author sql.NullInt64
	var created int64
	if err := sc.Scan(&r.ArticleID, &r.Number, &r.Lang, &r.Title, &r.Body, &steps, &author, &r.Author, &r.Note, &created); err != nil {
		return nil, err
	}
	r.AuthorID, r.CreatedAt = author.Int64, fromMS(sql.NullInt64{Int64: created, Valid: true})
	if err := json.Unmarshal([]byte(steps), &r.Steps); err != nil {
		return nil, fmt.Errorf("revision %d of article %d: steps: %w", r.Number, r.ArticleID, err)
	}
	return &r, nil
}

// ArticleRevisions returns every revision of an article's texts, newest first. Revisions are
// the editors' history: staff only. Errors: not found, forbidden, unauthenticated.
func (d *DB) ArticleRevisions(ctx context.Context, id int64) ([]*opsdesk.Revision, error) {
	if err := d.checkRevisionReader(ctx, id); err != nil {
		return nil, err
	}
	out, err := collect(scanRevision)(d.query(ctx, `SELECT `+revisionColumns+` FROM article_revisions
		WHERE article_id = ? ORDER BY number DESC`, id))
	return out, wrapErr("store.ArticleRevisions", err)
}

// ArticleRevision returns one revision of an article. Staff only. Errors: not found, forbidden,
// unauthenticated.
func (d *DB) ArticleRevision(ctx context.Context, id int64, number int) (*opsdesk.Revision, error) {
	if err := d.checkRevisionReader(ctx, id); err != nil {
		return nil, err
	}
	r, err := scanRevision(d.queryRow(ctx, `SELECT `+revisionColumns+` FROM article_revisions
		WHERE article_id = ? AND number = ?`, id, number))
	if errNoRows(err) {
		return nil, opsdesk.NotFound("article %d has no revision %d", id, number)
	}
	return r, wrapErr("store.ArticleRevision", err)
}

// ArticleDiff compares two revisions of an article (usually of the same language), line by
// line: the title, the Markdown body, then the steps. Staff only. Errors: not found, forbidden,
// unauthenticated.
func (d *DB) ArticleDiff(ctx context.Context, id int64, from, to int) ([]opsdesk.DiffLine, error) {
	a, err := d.ArticleRevision(ctx, id, from)
	if err != nil {
		return nil, err
	}
	b, err := d.ArticleRevision(ctx, id, to)
	if err != nil {
		return nil, err
	}
	return diffLines(revisionLines(a), revisionLines(b)), nil
}

// revisionLines renders a revision as the lines a diff compares.
func revisionLines(r *opsdesk.Revision) []string {
	lines := []string{"# " + r.Title, ""}
	lines = append(lines, strings.Split(strings.ReplaceAll(r.Body, "\r\n", "\n"), "\n")...)
	for _, s := range r.Steps {
		lines = append(lines, fmt.Sprintf("%d. %s", s.Position, s.Instruction))
		if s.Expected != "" {
			lines = append(lines, "   → "+s.Expected)
		}
	}
	return lines
}

func (d *DB) checkRevisionReader(ctx context.Context, id int64) error {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return opsdesk.Forbidden("revisions are for the vendor's team")
	}
	var n int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM articles WHERE id = ?`, id).Scan(&n); err != nil {
		return opsdesk.Internal("store.ArticleRevisions", err)
	}
	if n == 0 {
		return opsdesk.NotFound("no article %d", id)
	}
	return nil
}
