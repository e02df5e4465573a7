package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// LinkArticle records that an article helped with a ticket (the counts of ArticleUsage), with a
// line in the ticket's history (staff only); a ticket of any status, closed ones included, can
// be linked. Linking twice is a no-op. Staff only. Errors: not found (ticket or article),
// forbidden, unauthenticated.
func (d *DB) LinkArticle(ctx context.Context, ticketKey string, articleID int64) error {
	return d.articleLink(ctx, "store.LinkArticle", ticketKey, articleID, true)
}

// UnlinkArticle removes the link between a ticket and an article, with a line in the ticket's
// history. Staff only. Errors: not found (ticket, article or link), forbidden, unauthenticated.
func (d *DB) UnlinkArticle(ctx context.Context, ticketKey string, articleID int64) error {
	return d.articleLink(ctx, "store.UnlinkArticle", ticketKey, articleID, false)
}

func (d *DB) articleLink(ctx context.Context, op, ticketKey string, articleID int64, link bool) error {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return opsdesk.Forbidden("only the vendor's team links articles to tickets")
	}
	return d.inTx(ctx, op, func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, ticketKey)
		if err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM articles WHERE id = ?`, articleID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.NotFound("no article %d", articleID)
		}
		kind := opsdesk.EventArticleLinked
		if link {
			res, err := tx.exec(ctx, `INSERT INTO ticket_articles (ticket_id, article_id, linked_by, linked_by_label, linked_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id, article_id) DO NOTHING`, t.ID, articleID, nullID(a.UserID), a.Label, tx.now.UnixMilli())
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
		} else {
			kind = opsdesk.EventArticleUnlinked
			res, err := tx.exec(ctx, `DELETE FROM ticket_articles WHERE ticket_id = ? AND article_id = ?`, t.ID, articleID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return cmpErr(err, opsdesk.NotFound("article %d is not linked to %s", articleID, t.Key))
			}
		}
		return tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: kind, Field: "article", New: itoa(articleID), Internal: true})
	})
}

// cmpErr returns err if set, else alt.
func cmpErr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}

// TicketArticles lists the articles linked to a ticket, titled in lang when they have it, most
// recent link first. A customer sees, on their own tickets, only the linked articles they may
// read. Errors: not found (ticket), unauthenticated.
func (d *DB) TicketArticles(ctx context.Context, ticketKey string, lang opsdesk.Lang) ([]opsdesk.ArticleLink, error) {
	t, err := d.TicketByKey(ctx, ticketKey)
	if err != nil {
		return nil, err
	}
	reach, args := articleReach(opsdesk.ActorFrom(ctx))
	rows, err := d.query(ctx, `SELECT a.id, a.kind, a.status, ta.linked_by_label, ta.linked_at,
		COALESCE((SELECT title FROM article_texts x WHERE x.article_id = a.id ORDER BY CASE WHEN x.lang = ? THEN 0 ELSE 1 END, x.lang DESC LIMIT 1), '')
		FROM ticket_articles ta JOIN articles a ON a.id = ta.article_id
		WHERE ta.ticket_id = ?`+reach+` ORDER BY ta.linked_at DESC, a.id DESC`, append([]any{lang, t.ID}, args...)...)
	if err != nil {
		return nil, opsdesk.Internal("store.TicketArticles", err)
	}
	var out []opsdesk.ArticleLink
	err = eachRow(rows, func(sc scanner) error {
		l := opsdesk.ArticleLink{TicketID: t.ID, TicketKey: t.Key}
		var at int64
		err := sc.Scan(&l.ArticleID, &l.Kind, &l.Status, &l.LinkedBy, &at, &l.Title)
		l.LinkedAt = fromMS(sql.NullInt64{Int64: at, Valid: true})
		out = append(out, l)
		return err
	})
	return out, wrapErr("store.TicketArticles", err)
}

// ArticleUsage counts the tickets an article was linked to and the requests it deflected.
// Staff only. Errors: not found, forbidden, unauthenticated.
func (d *DB) ArticleUsage(ctx context.Context, id int64, lang opsdesk.Lang) (opsdesk.ArticleUsage, error) {
	a := opsdesk.ActorFrom(ctx)
	if err := kbStaffOnly(a, "article usage is for the vendor's team"); err != nil {
		return opsdesk.ArticleUsage{}, err
	}
	list, err := d.articleUsage(ctx, `WHERE a.id = ?`, []any{lang, id})
	if err != nil {
		return opsdesk.ArticleUsage{}, err
	}
	if len(list) == 0 {
		return opsdesk.ArticleUsage{}, opsdesk.NotFound("no article %d", id)
	}
	return list[0], nil
}

// TopArticles lists the articles that solved the most tickets (then deflected the most
// requests), titled in lang when they have it: which articles solve tickets. Staff only.
// Errors: invalid (limit), forbidden, unauthenticated.
func (d *DB) TopArticles(ctx context.Context, lang opsdesk.Lang, limit int) ([]opsdesk.ArticleUsage, error) {
	if err := kbStaffOnly(opsdesk.ActorFrom(ctx), "article usage is for the vendor's team"); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	if limit > 200 {
		return nil, opsdesk.Invalid("limit", "must be at most 200")
	}
	return d.articleUsage(ctx, `WHERE EXISTS (SELECT 1 FROM ticket_articles t WHERE t.article_id = a.id)
		OR EXISTS (SELECT 1 FROM kb_deflections k WHERE k.article_id = a.id)
		ORDER BY 3 DESC, 4 DESC, a.id LIMIT ?`, []any{lang, limit})
}

func (d *DB) articleUsage(ctx context.Context, tail string, args []any) ([]opsdesk.ArticleUsage, error) {
	out, err := collect(func(sc scanner) (opsdesk.ArticleUsage, error) {
		var u opsdesk.ArticleUsage
		return u, sc.Scan(&u.ArticleID, &u.Title, &u.LinkedTickets, &u.Deflections)
	})(d.query(ctx, `SELECT a.id,
		COALESCE((SELECT title FROM article_texts x WHERE x.article_id = a.id ORDER BY CASE WHEN x.lang = ? THEN 0 ELSE 1 END, x.lang DESC LIMIT 1), ''),
		(SELECT COUNT(*) FROM ticket_articles t WHERE t.article_id = a.id),
		(SELECT COUNT(*) FROM kb_deflections k WHERE k.article_id = a.id)
		FROM articles a `+tail, args...))
	return out, wrapErr("store.ArticleUsage", err)
}

func kbStaffOnly(a opsdesk.Actor, why string) error {
	if a.Role == "" {
		return opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return opsdesk.Forbidden("%s", why)
	}
	return nil
}

// RecordDeflection records that a customer, while filing a request in the portal, opened this
// article and left without filing: a deflected request. The portal decides when that is and
// calls it with a key of that visit (any opaque string, e.g. the form's token; only its SHA-256
// is kept); the same visit and article count once, however often it is called. Customers only,
// for an article they may read. Errors: invalid (session), not found, forbidden,
// unauthenticated.
func (d *DB) RecordDeflection(ctx context.Context, articleID int64, sessionKey string) error {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return opsdesk.Unauthenticated("log in first")
	}
	if !a.IsCustomer() {
		return opsdesk.Forbidden("deflections are counted for customers only")
	}
	sessionKey = strings.TrimSpace(sessionKey)
	if sessionKey == "" || len(sessionKey) > 512 {
		return opsdesk.Invalid("session", "a deflection needs the key of the visit (1 to 512 bytes)")
	}
	sum := sha256.Sum256([]byte(sessionKey))
	return d.inTx(ctx, "store.RecordDeflection", func(tx *Tx) error {
		reach, args := articleReach(a)
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM articles a WHERE a.id = ?`+reach, append([]any{articleID}, args...)...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.NotFound("no article %d", articleID)
		}
		_, err := tx.exec(ctx, `INSERT INTO kb_deflections (article_id, session_hash, customer_id, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (article_id, session_hash) DO NOTHING`, articleID, hex.EncodeToString(sum[:]), nullID(a.CustomerID), tx.now.UnixMilli())
		return err
	})
}

// DeflectionCount counts deflected requests: for one article, the visits that recorded it;
// for articleID 0, the distinct visits over all articles (a visit that opened two articles is
// one request). Staff only. Errors: forbidden, unauthenticated.
func (d *DB) DeflectionCount(ctx context.Context, articleID int64) (int, error) {
	if err := kbStaffOnly(opsdesk.ActorFrom(ctx), "deflection counts are for the vendor's team"); err != nil {
		return 0, err
	}
	var n int
	var err error
	if articleID == 0 {
		err = d.queryRow(ctx, `SELECT COUNT(DISTINCT session_hash) FROM kb_deflections`).Scan(&n)
	} else {
		err = d.queryRow(ctx, `SELECT COUNT(*) FROM kb_deflections WHERE article_id = ?`, articleID).Scan(&n)
	}
	if err != nil {
		return 0, opsdesk.Internal("store.DeflectionCount", err)
	}
	return n, nil
}

// TickStep records in a ticket's history (staff only) that an agent carried out step position
// of procedure articleID in lang, with what they saw (note). Staff only. Errors: invalid (no
// such step), not found (ticket, procedure), forbidden, unauthenticated.
func (d *DB) TickStep(ctx context.Context, ticketKey string, articleID int64, lang opsdesk.Lang, position int, note string) error {
	a := opsdesk.ActorFrom(ctx)
	if err := kbStaffOnly(a, "only the vendor's team follows procedures on tickets"); err != nil {
		return err
	}
	return d.inTx(ctx, "store.TickStep", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, ticketKey)
		if err != nil {
			return err
		}
		var instruction string
		var kind opsdesk.ArticleKind
		err = tx.queryRow(ctx, `SELECT a.kind, COALESCE(s.instruction, '') FROM articles a
			LEFT JOIN article_steps s ON s.article_id = a.id AND s.lang = ? AND s.position = ? WHERE a.id = ?`,
			lang, position, articleID).Scan(&kind, &instruction)
		if errNoRows(err) || (err == nil && kind != opsdesk.ArticleProcedure) {
			return opsdesk.NotFound("no procedure %d", articleID)
		}
		if err != nil {
			return err
		}
		if instruction == "" {
			return opsdesk.Invalid("step", "procedure %d has no step %d in %s", articleID, position, lang)
		}
		return tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventStepDone,
			Field: fmt.Sprintf("article %d step %d", articleID, position), New: clip(instruction, 500),
			Reason: strings.TrimSpace(note), Internal: true})
	})
}
