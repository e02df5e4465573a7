// Package apijson is the JSON shape of opsdesk's records as the REST API and the webhooks show
// them. Both speak the same representation, so a ticket in a webhook payload is the ticket the
// API returns; keeping it here, below both, avoids an import cycle between them.
package apijson

import (
	"net/url"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// TimeFormat is how instants are written: RFC 3339 in UTC, to the millisecond.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Time writes an instant; the zero time is null.
func Time(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(TimeFormat)
	return &s
}

// Stamp writes an instant that is always set.
func Stamp(t time.Time) string { return t.UTC().Format(TimeFormat) }

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Ticket is a ticket as the API and webhooks show it.
type Ticket struct {
	Number          string  `json:"number" doc:"human number, e.g. OPS-1042"`
	Status          string  `json:"status" enum:"new,open,waiting_customer,resolved,closed"`
	Severity        string  `json:"severity" doc:"code on the severity scale: blocking, major, minor, question, evolution"`
	Level           string  `json:"level" enum:"N1,N2,N3"`
	Environment     *string `json:"environment" doc:"kind of the environment (test, preprod, prod), null when none"`
	EnvironmentID   *int64  `json:"environment_id"`
	EnvironmentName *string `json:"environment_name"`
	Customer        string  `json:"customer" doc:"customer code"`
	CustomerName    string  `json:"customer_name"`
	Requester       string  `json:"requester" doc:"email of the requesting contact"`
	RequesterName   string  `json:"requester_name"`
	Category        string  `json:"category"`
	Type            string  `json:"type" enum:"incident,service_request,access_request,evolution"`
	Subject         string  `json:"subject"`
	Impact          string  `json:"impact"`
	Assignee        *string `json:"assignee" doc:"email of the assigned agent, null when unassigned"`
	AssigneeName    *string `json:"assignee_name"`
	Channel         string  `json:"channel" enum:"web,mail,api,probe"`
	CreatedAt       string  `json:"created_at" format:"date-time"`
	UpdatedAt       string  `json:"updated_at" format:"date-time"`
	TakenAt         *string `json:"taken_at" format:"date-time"`
	ResolvedAt      *string `json:"resolved_at" format:"date-time"`
	ClosedAt        *string `json:"closed_at" format:"date-time"`
	NextDeadline    *string `json:"next_deadline" format:"date-time" doc:"the nearest deadline of its running SLA clocks (past ones included); null when none runs: paused, stopped or without target"`
	ReopenCount     int     `json:"reopen_count"`
	Resolution      *string `json:"resolution" doc:"the summary of the last resolution, in words the requester reads; null if never resolved (kept when it reopens)"`
	Cause           *string `json:"cause" doc:"the cause code of the last resolution (GET /cause-codes); null if never resolved, and always for customers"`
	Version         int64   `json:"version" doc:"incremented by every change"`
	URL             string  `json:"url" doc:"the ticket's page in the web UI"`
}

// TicketOf converts a ticket; baseURL is the public URL of opsdesk.
func TicketOf(t *opsdesk.Ticket, baseURL string) Ticket {
	j := Ticket{
		Number: t.Key, Status: string(t.Status), Severity: t.Severity, Level: string(t.Level),
		Customer: t.CustomerCode, CustomerName: t.CustomerName, Requester: t.RequesterMail, RequesterName: t.RequesterName,
		Category: t.Category, Type: string(t.Type), Subject: t.Subject, Impact: t.Impact, Channel: string(t.Channel),
		CreatedAt: Stamp(t.CreatedAt), UpdatedAt: Stamp(t.UpdatedAt), TakenAt: Time(t.TakenAt), ResolvedAt: Time(t.ResolvedAt),
		ClosedAt: Time(t.ClosedAt), NextDeadline: Time(t.NextDeadline), ReopenCount: t.ReopenCount, Version: t.Version,
		Resolution: nonEmpty(t.ResolutionSummary), Cause: nonEmpty(t.Cause),
		URL: baseURL + "/tickets/" + url.PathEscape(t.Key),
	}
	if t.EnvironmentID != 0 {
		id := t.EnvironmentID
		j.Environment, j.EnvironmentID, j.EnvironmentName = nonEmpty(string(t.EnvKind)), &id, nonEmpty(t.EnvName)
	}
	if t.AssigneeID != 0 {
		j.Assignee, j.AssigneeName = nonEmpty(t.AssigneeMail), nonEmpty(t.AssigneeName)
	}
	return j
}

// Attachment is a file of a ticket's conversation.
type Attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type" doc:"sniffed from the content"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Internal    bool   `json:"internal"`
	UploadedBy  string `json:"uploaded_by"`
	CreatedAt   string `json:"created_at" format:"date-time"`
	URL         string `json:"url" doc:"where the API serves its content"`
}

// Message is one entry of a ticket's conversation.
type Message struct {
	ID          int64        `json:"id"`
	Number      string       `json:"number" doc:"the ticket's number"`
	Author      string       `json:"author" doc:"name or address of the author"`
	Internal    bool         `json:"internal" doc:"an internal note, never shown to the customer"`
	Body        string       `json:"body"`
	Channel     string       `json:"channel"`
	CreatedAt   string       `json:"created_at" format:"date-time"`
	Attachments []Attachment `json:"attachments"`
}

// AttachmentURL is where the API serves an attachment's content.
func AttachmentURL(baseURL, key string, id int64) string {
	return baseURL + "/api/v1/tickets/" + url.PathEscape(key) + "/attachments/" + strconv.FormatInt(id, 10)
}

// MessageOf converts a message of the ticket numbered key.
func MessageOf(m *opsdesk.Message, key, baseURL string) Message {
	j := Message{ID: m.ID, Number: key, Author: m.AuthorLabel, Internal: m.Internal, Body: m.Body,
		Channel: string(m.Channel), CreatedAt: Stamp(m.CreatedAt), Attachments: []Attachment{}}
	for _, a := range m.Attachments {
		j.Attachments = append(j.Attachments, AttachmentOf(&a, key, baseURL))
	}
	return j
}

// AttachmentOf converts an attachment of the ticket numbered key.
func AttachmentOf(a *opsdesk.Attachment, key, baseURL string) Attachment {
	return Attachment{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256,
		Internal: a.Internal, UploadedBy: a.UploadedBy, CreatedAt: Stamp(a.CreatedAt), URL: AttachmentURL(baseURL, key, a.ID)}
}
