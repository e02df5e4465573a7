package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// newMessage is the body of POST /tickets/{number}/messages.
type newMessage struct {
	Body        string  `json:"body"`
	Internal    bool    `json:"internal" doc:"an internal note, never shown to the customer (staff only)"`
	Attachments []int64 `json:"attachments" doc:"ids of files already uploaded to this ticket, joined to this message too"`
}

// event is one line of a ticket's history.
type event struct {
	ID        int64  `json:"id"`
	At        string `json:"at" format:"date-time"`
	Actor     string `json:"actor"`
	Kind      string `json:"kind" doc:"created, change, message, note, escalation, taken"`
	Field     string `json:"field,omitempty"`
	Old       string `json:"old,omitempty"`
	New       string `json:"new,omitempty"`
	Reason    string `json:"reason,omitempty"`
	MessageID int64  `json:"message_id,omitempty"`
	Internal  bool   `json:"internal"`
}

// items wraps a list: {"items": [...]}.
type items[T any] struct {
	Items []T `json:"items"`
}

// itemsOf wraps rows, each shaped by toJSON; no rows is an empty list, never null.
func itemsOf[T, J any](rows []T, toJSON func(T) J) items[J] {
	out := items[J]{Items: make([]J, 0, len(rows))}
	for _, r := range rows {
		out.Items = append(out.Items, toJSON(r))
	}
	return out
}

func (a *API) listMessages(w http.ResponseWriter, r *http.Request) error {
	key := strings.ToUpper(strings.TrimSpace(r.PathValue("number")))
	msgs, err := a.db.Messages(r.Context(), key)
	if err != nil {
		return err
	}
	out := items[apijson.Message]{Items: []apijson.Message{}}
	for _, m := range msgs {
		out.Items = append(out.Items, apijson.MessageOf(m, key, a.cfg.BaseURL))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) addMessage(w http.ResponseWriter, r *http.Request) error {
	var in newMessage
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	ctx := r.Context()
	t, err := a.db.TicketByKey(ctx, r.PathValue("number"))
	if err != nil {
		return err
	}
	var atts []opsdesk.NewAttachment
	for i, id := range in.Attachments {
		at, err := a.db.Attachment(ctx, t.Key, id)
		if err != nil {
			return withField(err, fmt.Sprintf("attachments[%d]", i))
		}
		if at.Internal && !in.Internal {
			return opsdesk.Invalid(fmt.Sprintf("attachments[%d]", i), "attachment %d belongs to an internal note: it cannot join a public reply", id)
		}
		atts = append(atts, opsdesk.NewAttachment{Name: at.Name, ContentType: at.ContentType, Size: at.Size, SHA256: at.SHA256})
	}
	m, err := a.db.AddMessage(ctx, t.Key, in.Body, in.Internal, atts)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, apijson.MessageOf(m, t.Key, a.cfg.BaseURL))
}

func (a *API) history(w http.ResponseWriter, r *http.Request) error {
	evs, err := a.db.History(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	out := items[event]{Items: []event{}}
	for _, e := range evs {
		out.Items = append(out.Items, event{ID: e.ID, At: apijson.Stamp(e.At), Actor: e.ActorLabel, Kind: e.Kind, Field: e.Field,
			Old: e.Old, New: e.New, Reason: e.Reason, MessageID: e.MessageID, Internal: e.Internal})
	}
	return writeJSON(w, http.StatusOK, out)
}
