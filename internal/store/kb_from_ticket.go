package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// DraftArticleFromTicket creates a draft knowledge-base article prefilled from a ticket — its
// subject, description, cause, resolution summary and, when the ticket belongs to a problem, the
// problem's root cause and workaround — internal, in the customer's language, and links it to
// the ticket. It serves the offer of the ticket page at closure; the ticket may be of any
// status. Staff only. Errors: not found, forbidden, unauthenticated.
func (d *DB) DraftArticleFromTicket(ctx context.Context, key string) (*opsdesk.Article, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return nil, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team writes articles")
	}
	var id int64
	err := d.inTx(ctx, "store.DraftArticleFromTicket", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		id, err = tx.draftArticleFromTicket(ctx, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "updated"})
	return d.ArticleByID(ctx, id)
}

// draftArticleFromTicket writes the draft article of a ticket and links it to the ticket, with
// a line in its history; it returns the article's id.
func (tx *Tx) draftArticleFromTicket(ctx context.Context, t *opsdesk.Ticket) (int64, error) {
	n, err := tx.ticketDraft(ctx, t)
	if err != nil {
		return 0, err
	}
	if err := n.Validate(); err != nil {
		return 0, err
	}
	if err := tx.checkCategory(ctx, n.Category); opsdesk.ErrorKind(err) == opsdesk.KindInvalid {
		n.Category = "" // a category removed since the ticket was filed: the draft has none
	} else if err != nil {
		return 0, err
	}
	id, err := tx.insertArticle(ctx, n)
	if err != nil {
		return 0, err
	}
	a := opsdesk.ActorFrom(ctx)
	if _, err := tx.exec(ctx, `INSERT INTO ticket_articles (ticket_id, article_id, linked_by, linked_by_label, linked_at)
		VALUES (?, ?, ?, ?, ?)`, t.ID, id, nullID(a.UserID), a.Label, tx.now.UnixMilli()); err != nil {
		return 0, err
	}
	if err := tx.event(ctx, opsdesk.Event{TicketID: t.ID, Kind: opsdesk.EventArticleLinked, Field: "article", New: itoa(id),
		Reason: "draft created from the ticket", Internal: true}); err != nil {
		return 0, err
	}
	return id, nil
}

// draftHeadings are the section titles of a draft made from a ticket, per language.
var draftHeadings = map[opsdesk.Lang][5]string{
	opsdesk.LangFR: {"Symptômes", "Cause", "Résolution", "Cause racine", "Contournement"},
	opsdesk.LangEN: {"Symptoms", "Cause", "Resolution", "Root cause", "Workaround"},
}

// ticketDraft prefills an article from a ticket: title = subject; Markdown sections symptoms
// (the description: the first message), cause (its label), resolution (the summary), and the
// linked problem's root cause and workaround when there are any.
func (tx *Tx) ticketDraft(ctx context.Context, t *opsdesk.Ticket) (*opsdesk.NewArticle, error) {
	var lang opsdesk.Lang
	if err := tx.queryRow(ctx, `SELECT COALESCE(NULLIF(p.lang, ''), c.lang) FROM contacts p JOIN customers c ON c.id = ?
		WHERE p.id = ?`, t.CustomerID, t.RequesterID).Scan(&lang); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if !lang.Valid() {
		lang = opsdesk.LangFR
	}
	var description string
	err := tx.queryRow(ctx, `SELECT body FROM ticket_messages WHERE ticket_id = ? AND NOT internal ORDER BY id LIMIT 1`, t.ID).Scan(&description)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	h := draftHeadings[lang]
	var b strings.Builder
	section := func(title, text string) {
		if text = strings.TrimSpace(text); text != "" {
			b.WriteString("## " + title + "\n\n" + text + "\n\n")
		}
	}
	section(h[0], clip(description, opsdesk.MaxArticleBody/2))
	if t.Cause != "" {
		section(h[1], tx.causeLabel(ctx, t.Cause, lang))
	}
	section(h[2], t.ResolutionSummary)
	if p, err := tx.problemOfTicket(ctx, t.ID); err == nil {
		section(h[3], clip(p.RootCause, opsdesk.MaxArticleBody/5))
		section(h[4], clip(p.Workaround, opsdesk.MaxArticleBody/5))
	} else if opsdesk.ErrorKind(err) != opsdesk.KindNotFound {
		return nil, err
	}
	return &opsdesk.NewArticle{Visibility: opsdesk.VisibleInternal, Category: t.Category,
		Texts: []opsdesk.ArticleText{{Lang: lang, Title: clip(t.Subject, opsdesk.MaxArticleTitle), Body: strings.TrimSpace(b.String())}},
		Note:  "draft from " + t.Key}, nil
}
