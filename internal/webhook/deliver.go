package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// The headers of a delivery.
const (
	HeaderEvent     = "X-Opsdesk-Event"
	HeaderDelivery  = "X-Opsdesk-Delivery"  // the delivery id, the same on every attempt: receivers deduplicate with it
	HeaderSignature = "X-Opsdesk-Signature" // sha256=<hex HMAC-SHA256 of the body keyed by the webhook's secret>
)

// maxResponse is how much of a receiver's answer is read (and so the connection reused).
const maxResponse = 64 << 10

// NewClient returns the HTTP client deliveries use: it follows at most three redirects, and only
// to the same host without leaving https; any other redirect is answered as the receiver's own
// (non-2xx) response.
func NewClient() *http.Client {
	return &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if len(via) >= 3 || req.URL.Host != first.Host || (req.URL.Scheme != "https" && req.URL.Scheme != "http") ||
			(first.Scheme == "https" && req.URL.Scheme != "https") {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

// Sign returns the X-Opsdesk-Signature value of body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify tells, in constant time, whether signature is body's signature under secret; receivers
// written in Go can use it.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// deliver sends one delivery and logs the attempt. A webhook deleted or disabled since the event
// was queued is not sent to. Errors (non-2xx, no answer) are retried by the runner.
func (s *service) deliver(ctx context.Context, j *opsdesk.Job) error {
	var p deliverPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return jobs.Permanent(fmt.Errorf("webhook delivery job %d: %w", j.ID, err))
	}
	ctx = opsdesk.WithActor(ctx, opsdesk.System("webhook"))
	del, hook, err := s.db.WebhookDelivery(ctx, p.DeliveryID)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !hook.Active {
		return nil
	}
	start := time.Now()
	status, sendErr := s.post(ctx, hook, del)
	at := &store.WebhookAttempt{DeliveryID: del.ID, Attempt: j.Attempts, StatusCode: status, Duration: time.Since(start)}
	if sendErr != nil {
		at.Error = sendErr.Error()
	}
	if err := s.db.RecordWebhookAttempt(context.WithoutCancel(ctx), at); err != nil {
		s.opt.Logger.Error("webhook: record attempt", "delivery", del.ID, "err", err)
	}
	if sendErr != nil {
		return fmt.Errorf("webhook %d delivery %d (%s %s): %w", hook.ID, del.ID, del.Event, del.TicketKey, sendErr)
	}
	return nil
}

// post sends the delivery once and returns the receiver's status code (0 if none came).
func (s *service) post(ctx context.Context, hook *store.Webhook, del *store.WebhookDelivery) (int, error) {
	u, err := url.Parse(hook.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return 0, jobs.Permanent(fmt.Errorf("%q is not an http(s) URL", hook.URL))
	}
	ctx, cancel := context.WithTimeout(ctx, s.opt.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(del.Payload))
	if err != nil {
		return 0, jobs.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "opsdesk-webhook/1")
	req.Header.Set(HeaderEvent, del.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(del.ID, 10))
	req.Header.Set(HeaderSignature, Sign(hook.Secret, del.Payload))
	resp, err := s.opt.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("no answer: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, nil
	}
	msg := "the receiver answered " + resp.Status
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		msg += " (a redirect to " + resp.Header.Get("Location") + " is not followed)"
	}
	if snippet := excerpt(answer, 200); snippet != "" {
		msg += ": " + snippet
	}
	return resp.StatusCode, errors.New(msg)
}

// excerpt returns the beginning of a receiver's answer as one line of printable text.
func excerpt(b []byte, n int) string {
	if !utf8.Valid(b) {
		return ""
	}
	s := strings.Join(strings.Fields(string(b)), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}
