// Package probe runs the health probes of customer environments (docs/probes.md): an HTTP(S)
// checker with a timeout, few redirects, a capped body read and the leaf certificate's expiry,
// and a durable scheduler that claims due probes from the database and records each result —
// with the incident it opens or notes — through the store.
//
// SSRF stance: probes only call URLs that ops managers and admins configured (store.CreateProbe,
// UpdateProbe); nothing a customer or a request sends becomes a target. Redirects are followed
// at most MaxRedirects times and only to http or https. Private and loopback addresses are
// allowed on purpose — customer environments often sit on private networks the vendor reaches —
// so the protection is who may configure a probe, not where it may point.
package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The checker's limits.
const (
	MaxRedirects = 3
	MaxBody      = 64 << 10 // bytes of the body read to look for the expected substring
	UserAgent    = "opsdesk-probe/1 (+https://github.com/opsdesk/opsdesk)"
)

// Checker runs one HTTP(S) check. It is safe for concurrent use.
type Checker struct {
	client *http.Client
	now    func() time.Time
}

// NewChecker returns a checker. roots, if not nil, replaces the system's trusted certificate
// authorities (tests use their own); now is the clock results are stamped with (nil: time.Now).
func NewChecker(roots *x509.CertPool, now func() time.Time) *Checker {
	if now == nil {
		now = time.Now
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	tr.MaxIdleConnsPerHost = 4
	tr.IdleConnTimeout = 90 * time.Second
	tr.Proxy = nil // probes reach the environment directly, as its users do
	client := &http.Client{
		Transport: tr,
		// No cookie jar: every check starts clean.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("more than %d redirects", MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s URL refused", req.URL.Scheme)
			}
			return nil
		},
	}
	return &Checker{client: client, now: now}
}

// Check runs probe p once and reports the outcome; a failure is a result, never an error.
func (c *Checker) Check(ctx context.Context, p *opsdesk.Probe) *opsdesk.ProbeResult {
	r := &opsdesk.ProbeResult{ProbeID: p.ID, At: c.now().UTC()}
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	start := time.Now()
	defer func() { r.Latency = time.Since(start) }()
	req, err := http.NewRequestWithContext(ctx, p.Method, p.URL, nil)
	if err != nil {
		r.Error = "bad request: " + err.Error()
		return r
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "*/*")
	resp, err := c.client.Do(req)
	if err != nil {
		r.Error = describe(err, p.Timeout)
		return r
	}
	defer resp.Body.Close()
	r.StatusCode = resp.StatusCode
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		r.CertNotAfter = resp.TLS.PeerCertificates[0].NotAfter.UTC()
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil && p.BodyContains != "" {
		r.Error = "reading the body: " + describe(err, p.Timeout)
		return r
	}
	switch {
	case resp.StatusCode != p.ExpectStatus:
		r.Error = fmt.Sprintf("status %d, expected %d", resp.StatusCode, p.ExpectStatus)
	case p.BodyContains != "" && !bytes.Contains(body, []byte(p.BodyContains)):
		r.Error = fmt.Sprintf("the first %d KB of the body do not contain %q", MaxBody>>10, p.BodyContains)
	default:
		r.OK = true
	}
	// Drain a little more so the connection can be reused, without reading a huge body.
	io.CopyN(io.Discard, resp.Body, 4<<10)
	return r
}

// describe turns a transport error into a short reason.
func describe(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("no answer within %s", timeout)
	}
	return err.Error()
}
