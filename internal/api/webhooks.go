package api

import (
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/store"
)

// webhook is a registered receiver of ticket events. The secret appears once, in the answer to
// its creation.
type webhook struct {
	ID        int64    `json:"id"`
	URL       string   `json:"url"`
	Events    []string `json:"events" doc:"ticket.created, ticket.updated, ticket.message_added, ticket.escalated, ticket.resolved, ticket.closed, or *"`
	Active    bool     `json:"active"`
	CreatedBy string   `json:"created_by"`
	CreatedAt string   `json:"created_at" format:"date-time"`
	Secret    string   `json:"secret,omitempty" doc:"HMAC-SHA256 key of X-Opsdesk-Signature; shown only when the webhook is created"`
}

// newWebhook is the body of POST /webhooks.
type newWebhook struct {
	URL    string   `json:"url" required:"true" doc:"http or https URL that receives a POST per event"`
	Events []string `json:"events" required:"true"`
}

// delivery is one attempt of the delivery log.
type delivery struct {
	ID         int64  `json:"id"`
	DeliveryID int64  `json:"delivery_id" doc:"the X-Opsdesk-Delivery header of the request, the same on every attempt"`
	Event      string `json:"event"`
	Number     string `json:"number" doc:"the ticket's number"`
	Attempt    int    `json:"attempt"`
	StatusCode *int   `json:"status_code" doc:"the receiver's answer, null when none came"`
	Error      string `json:"error"`
	DurationMS int64  `json:"duration_ms"`
	At         string `json:"at" format:"date-time"`
}

func webhookJSON(h *store.Webhook) webhook {
	return webhook{ID: h.ID, URL: h.URL, Events: h.Events, Active: h.Active, CreatedBy: h.CreatedBy, CreatedAt: apijson.Stamp(h.CreatedAt)}
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	hs, err := a.db.ListWebhooks(r.Context())
	if err != nil {
		return err
	}
	out := items[webhook]{Items: []webhook{}}
	for _, h := range hs {
		out.Items = append(out.Items, webhookJSON(h))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) error {
	var in newWebhook
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	h := &store.Webhook{URL: in.URL, Events: in.Events}
	if err := a.db.CreateWebhook(r.Context(), h); err != nil {
		return err
	}
	j := webhookJSON(h)
	j.Secret = h.Secret
	return created(w, Prefix+"/webhooks/"+strconv.FormatInt(h.ID, 10), j)
}

func (a *API) getWebhook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	h, err := a.db.WebhookByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, webhookJSON(h))
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.db.DeleteWebhook(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// webhookDeliveries answers the delivery log of a webhook, newest first (?limit=, at most 500).
func (a *API) webhookDeliveries(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	log, err := a.db.WebhookAttempts(r.Context(), id, limit)
	if err != nil {
		return err
	}
	out := items[delivery]{Items: []delivery{}}
	for _, at := range log {
		d := delivery{ID: at.ID, DeliveryID: at.DeliveryID, Event: at.Event, Number: at.TicketKey, Attempt: at.Attempt,
			Error: at.Error, DurationMS: at.Duration.Milliseconds(), At: apijson.Stamp(at.At)}
		if at.StatusCode != 0 {
			code := at.StatusCode
			d.StatusCode = &code
		}
		out.Items = append(out.Items, d)
	}
	return writeJSON(w, http.StatusOK, out)
}
