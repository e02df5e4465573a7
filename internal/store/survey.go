package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// DefaultSurveyValidity is how long a survey's links work when nothing else is configured.
const DefaultSurveyValidity = 30 * 24 * time.Hour

// surveyValidity holds each database's configured validity (SetSurveyValidity).
var surveyValidity sync.Map // *DB → time.Duration

// SetSurveyValidity sets how long the links of the surveys opened from now on work (0: the
// default, 30 days). The program sets it once at start (OPSDESK_SURVEY_LINK_DAYS).
func (d *DB) SetSurveyValidity(v time.Duration) {
	if v <= 0 {
		surveyValidity.Delete(d)
		return
	}
	surveyValidity.Store(d, v)
}

func (d *DB) surveyValidity() time.Duration {
	if v, ok := surveyValidity.Load(d); ok {
		return v.(time.Duration)
	}
	return DefaultSurveyValidity
}

const surveySelect = `SELECT s.id, s.ticket_id, t.key, t.subject, COALESCE(t.resolution_summary, ''), s.customer_id, s.state, s.lang,
	s.opened_at, s.expires_at, s.ended_at, s.solved, s.rating, s.comment, s.answered_by, s.channel, t.status
	FROM surveys s JOIN tickets t ON t.id = s.ticket_id`

// scanSurvey reads a survey and the status of its ticket.
func scanSurvey(sc scanner) (*opsdesk.Survey, opsdesk.Status, error) {
	var s opsdesk.Survey
	var status opsdesk.Status
	var opened, expires int64
	var ended, rating sql.NullInt64
	var solved sql.NullBool
	err := sc.Scan(&s.ID, &s.TicketID, &s.TicketKey, &s.Subject, &s.Summary, &s.CustomerID, &s.State, &s.Lang,
		&opened, &expires, &ended, &solved, &rating, &s.Comment, &s.AnsweredBy, &s.Channel, &status)
	if err != nil {
		return nil, "", err
	}
	s.OpenedAt, s.ExpiresAt, s.EndedAt = time.UnixMilli(opened).UTC(), time.UnixMilli(expires).UTC(), fromMS(ended)
	s.Solved, s.Rating = solved.Bool, int(rating.Int64)
	return &s, status, nil
}

// openSurvey opens the satisfaction survey of a resolution, in the resolution's transaction.
// A survey still open from an earlier resolution is superseded: its links stop working.
func (tx *Tx) openSurvey(ctx context.Context, t *opsdesk.Ticket) error {
	if err := tx.endSurvey(ctx, t.ID); err != nil {
		return err
	}
	var lang string
	err := tx.queryRow(ctx, `SELECT COALESCE(NULLIF(p.lang, ''), c.lang, '') FROM customers c
		LEFT JOIN contacts p ON p.id = ? WHERE c.id = ?`, t.RequesterID, t.CustomerID).Scan(&lang)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if !opsdesk.Lang(lang).Valid() {
		lang = string(opsdesk.LangFR)
	}
	_, err = tx.exec(ctx, `INSERT INTO surveys (ticket_id, customer_id, state, lang, opened_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		t.ID, t.CustomerID, opsdesk.SurveyOpen, lang, tx.now.UnixMilli(), tx.now.Add(tx.db.surveyValidity()).UnixMilli())
	return err
}

// endSurvey ends the open survey of a ticket leaving "resolved" otherwise than by an answer or
// by closing without one (which end it first): the customer confirmed or reopened with the
// portal's buttons or by mail, or an agent reopened or closed it. Its links stop working.
func (tx *Tx) endSurvey(ctx context.Context, ticketID int64) error {
	_, err := tx.exec(ctx, `UPDATE surveys SET state = ?, ended_at = ? WHERE ticket_id = ? AND state = ?`,
		opsdesk.SurveySuperseded, tx.now.UnixMilli(), ticketID, opsdesk.SurveyOpen)
	return err
}

// TicketSurveys lists the surveys of a ticket, oldest first, with their answers: staff see every
// ticket's, a customer their own organisation's. Errors: not found, unauthenticated.
func (d *DB) TicketSurveys(ctx context.Context, key string) ([]*opsdesk.Survey, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	rows, err := d.query(ctx, surveySelect+` WHERE s.ticket_id = ? ORDER BY s.id`, t.ID)
	if err != nil {
		return nil, opsdesk.Internal("store.TicketSurveys", err)
	}
	defer rows.Close()
	now := d.Now()
	var out []*opsdesk.Survey
	for rows.Next() {
		s, status, err := scanSurvey(rows)
		if err != nil {
			return nil, opsdesk.Internal("store.TicketSurveys", err)
		}
		s.State = s.Effective(now, status)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, opsdesk.Internal("store.TicketSurveys", err)
	}
	return out, nil
}

// OpenSurvey returns the survey of a ticket the caller may answer now, or not found when there
// is none (the ticket is not resolved, or its survey is answered or expired). Customers reach
// their own organisation's tickets only. Errors: not found, unauthenticated.
func (d *DB) OpenSurvey(ctx context.Context, key string) (*opsdesk.Survey, error) {
	t, err := d.TicketByKey(ctx, key)
	if err != nil {
		return nil, err
	}
	s, status, err := scanSurvey(d.queryRow(ctx, surveySelect+` WHERE s.ticket_id = ? AND s.state = ?`, t.ID, opsdesk.SurveyOpen))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("%s has no survey waiting for an answer", t.Key)
	}
	if err != nil {
		return nil, opsdesk.Internal("store.OpenSurvey", err)
	}
	if s.Effective(d.Now(), status) != opsdesk.SurveyOpen {
		return nil, opsdesk.NotFound("%s has no survey waiting for an answer", t.Key)
	}
	return s, nil
}
