package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Survey links. A link is {base URL}/survey/{token}, the token a fresh 256-bit random secret of
// which only the SHA-256 is stored (survey_links), like sessions and API tokens: it cannot be
// guessed or derived from anything else, a copy of the database holds no working link, and no
// signing key has to be kept and rotated. The survey row carries what the token may do: its
// state and its expiry. A random secret per link (rather than an HMAC of the survey id) costs one
// row per mail, which is what makes "stored hashed" possible.

// IssueSurveyLink returns a new link token for the open survey of a ticket, for the resolution
// mail; "" when the ticket has no open survey (reopened or closed since). Staff and the system
// only. Errors: forbidden.
func (d *DB) IssueSurveyLink(ctx context.Context, ticketID int64) (string, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return "", opsdesk.Forbidden("only opsdesk issues survey links")
	}
	var token string
	err := d.inTx(ctx, "store.IssueSurveyLink", func(tx *Tx) error {
		var id int64
		err := tx.queryRow(ctx, `SELECT id FROM surveys WHERE ticket_id = ? AND state = ?`, ticketID, opsdesk.SurveyOpen).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		token = auth.NewSecret()
		_, err = tx.exec(ctx, `INSERT INTO survey_links (token_hash, survey_id, issued_at) VALUES (?, ?, ?)`,
			auth.Digest(token), id, tx.now.UnixMilli())
		return err
	})
	return token, err
}

// looksLikeSurveyToken tells whether s has the shape of a link token (43 base64url characters).
func looksLikeSurveyToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	return strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

// SurveyByToken returns the survey a link token opens, whatever its state (State is the effective
// one: expired past its expiry, superseded when its ticket moved on), with the resolution summary.
// It needs no login: the token is the authority. It changes nothing. Errors: not found (unknown,
// forged or altered token — the same answer for each).
func (d *DB) SurveyByToken(ctx context.Context, token string) (*opsdesk.Survey, error) {
	if !looksLikeSurveyToken(token) {
		return nil, opsdesk.NotFound("no such survey")
	}
	s, status, err := scanSurvey(d.queryRow(ctx, surveySelect+` JOIN survey_links l ON l.survey_id = s.id WHERE l.token_hash = ?`, auth.Digest(token)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no such survey")
	}
	if err != nil {
		return nil, opsdesk.Internal("store.SurveyByToken", err)
	}
	s.State = s.Effective(d.Now(), status)
	return s, nil
}

// AnswerSurveyByToken records the answer given through a mailed link, as the ticket's requester.
// Errors: not found (bad token), invalid (the answer), conflict (field "survey": already
// answered, expired or superseded — read the survey again to tell which).
func (d *DB) AnswerSurveyByToken(ctx context.Context, token string, ans opsdesk.SurveyAnswer) (*opsdesk.Survey, error) {
	s, err := d.SurveyByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := ans.Validate(); err != nil {
		return nil, err
	}
	var key string
	err = d.inTx(ctx, "store.AnswerSurveyByToken", func(tx *Tx) error {
		t, err := tx.ticketByID(ctx, s.TicketID)
		if err != nil {
			return err
		}
		key = t.Key
		// The answer is the requester's, whoever holds the link: history and mails say so.
		actx := opsdesk.WithActor(ctx, opsdesk.Actor{Label: t.RequesterMail, Role: opsdesk.RoleCustomer, CustomerID: t.CustomerID})
		return tx.answerSurvey(actx, s.ID, t, ans, opsdesk.SurveyByLink)
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: key, Kind: "updated"})
	return d.SurveyByToken(ctx, token)
}

// AnswerSurvey records the answer a customer gives in the portal to the open survey of one of
// their organisation's tickets. Errors: forbidden (not a customer), not found (no such ticket
// for them), invalid, conflict (no survey waiting for an answer: answered, expired, superseded).
func (d *DB) AnswerSurvey(ctx context.Context, key string, ans opsdesk.SurveyAnswer) (*opsdesk.Survey, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsCustomer() {
		return nil, opsdesk.Forbidden("only the customer answers the satisfaction survey")
	}
	if err := ans.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := d.inTx(ctx, "store.AnswerSurvey", func(tx *Tx) error {
		t, err := tx.ticketByKey(ctx, key)
		if err != nil {
			return err
		}
		err = tx.queryRow(ctx, `SELECT id FROM surveys WHERE ticket_id = ? ORDER BY id DESC LIMIT 1`, t.ID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return opsdesk.Conflict("survey", "%s has no survey waiting for an answer", t.Key)
		}
		if err != nil {
			return err
		}
		return tx.answerSurvey(ctx, id, t, ans, opsdesk.SurveyByPortal)
	})
	if err != nil {
		return nil, err
	}
	d.notify(TicketChange{Key: strings.ToUpper(key), Kind: "updated"})
	list, err := d.TicketSurveys(ctx, key)
	if err != nil {
		return nil, err
	}
	return list[len(list)-1], nil
}

// answerSurvey records an answer once: the conditional UPDATE lets exactly one of concurrent
// answers through (the others find the survey no longer open). "Solved" closes the ticket;
// "not solved" adds the comment as the requester's public message and reopens it.
func (tx *Tx) answerSurvey(ctx context.Context, id int64, t *opsdesk.Ticket, ans opsdesk.SurveyAnswer, channel string) error {
	if t.Status != opsdesk.StatusResolved {
		return opsdesk.Conflict("survey", "%s is %s: the survey no longer waits for an answer", t.Key, t.Status)
	}
	a := opsdesk.ActorFrom(ctx)
	res, err := tx.exec(ctx, `UPDATE surveys SET state = ?, ended_at = ?, solved = ?, rating = ?, comment = ?, answered_by = ?, channel = ?
		WHERE id = ? AND state = ? AND expires_at > ?`, opsdesk.SurveyAnswered, tx.now.UnixMilli(), *ans.Solved, nullID(int64(ans.Rating)),
		ans.Comment, a.Label, channel, id, opsdesk.SurveyOpen, tx.now.UnixMilli())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		var state opsdesk.SurveyState
		if err := tx.queryRow(ctx, `SELECT state FROM surveys WHERE id = ?`, id).Scan(&state); err != nil {
			return err
		}
		if state == opsdesk.SurveyOpen {
			state = opsdesk.SurveyExpired
		}
		return opsdesk.Conflict("survey", "this survey is %s: it can no longer be answered", state)
	}
	if *ans.Solved {
		return tx.setStatus(ctx, t, opsdesk.StatusClosed, "confirmed by the customer")
	}
	m := &opsdesk.Message{TicketID: t.ID, Body: ans.Comment, Channel: opsdesk.ChannelWeb, AuthorUserID: a.UserID, AuthorLabel: a.Label, AuthorContactID: t.RequesterID}
	if a.UserID != 0 && !strings.EqualFold(a.Label, t.RequesterMail) {
		var contact int64
		if err := tx.queryRow(ctx, `SELECT id FROM contacts WHERE email = ?`, a.Label).Scan(&contact); err == nil {
			m.AuthorContactID = contact
		}
	}
	if err := tx.addMessage(ctx, m, nil, true); err != nil {
		return fmt.Errorf("survey comment: %w", err)
	}
	if err := tx.emit(ctx, opsdesk.TicketMessage, t, m.ID, false); err != nil {
		return err
	}
	return tx.setStatus(ctx, t, opsdesk.StatusOpen, "not solved, says the customer")
}
