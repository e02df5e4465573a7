package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/web"
)

// cheap are argon2 parameters for users created directly in tests; CheckPassword reads the
// parameters from the hash, so logins stay fast. The handlers themselves hash with DefaultParams.
var cheap = auth.Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32}

// password is the password of every fixture user.
const password = "correct horse battery"

// system is the context of an operator preparing fixtures.
var system = opsdesk.WithActor(context.Background(), opsdesk.System("test"))

// site is a real opsdesk web UI on a real listener, over a real database.
type site struct {
	t     *testing.T
	db    *store.DB
	srv   *httptest.Server
	logs  *syncBuffer
	blobs string // the attachment store's directory
}

// syncBuffer is a log sink the server writes to from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSite serves the UI the way the program does: the mux, the security headers and Go's
// cross-origin protection.
func startSite(t *testing.T, db *store.DB, tune ...func(*config.Config)) *site {
	t.Helper()
	cfg := config.Config{Lang: opsdesk.LangEN, SessionTTL: time.Hour, BaseURL: "http://127.0.0.1"}
	for _, f := range tune {
		f(&cfg)
	}
	logs := &syncBuffer{}
	blobDir := filepath.Join(t.TempDir(), "attachments")
	blobs, err := blob.Open(blobDir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Options{DB: db, Blobs: blobs, Config: cfg, Logger: slog.New(slog.NewTextHandler(logs, nil)), Version: "test"})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(http.NewCrossOriginProtection().Handler(web.SecurityHeaders(mux)))
	t.Cleanup(srv.Close)
	return &site{t: t, db: db, srv: srv, logs: logs, blobs: blobDir}
}

// client is a browser: a cookie jar, an Accept-Language, and redirects left to the test.
type client struct {
	t      *testing.T
	base   string
	hc     *http.Client
	header http.Header
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &client{t: s.t, base: s.srv.URL, hc: hc, header: http.Header{}}
}

// page is a response with its parsed HTML.
type page struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
	url    string
}

func (c *client) do(method, path string, form url.Values) *page {
	c.t.Helper()
	if form == nil {
		return c.send(method, path, "", nil)
	}
	return c.send(method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// send makes a request with a body of the content type, and parses an HTML answer.
func (c *client) send(method, path, contentType string, body io.Reader) *page {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	p := &page{status: resp.StatusCode, header: resp.Header, body: string(b), url: path}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = html.Parse(bytes.NewReader(b)); err != nil {
			c.t.Fatalf("%s %s: parse HTML: %v", method, path, err)
		}
	}
	return p
}

func (c *client) get(path string) *page { c.t.Helper(); return c.do(http.MethodGet, path, nil) }

func (c *client) post(path string, form url.Values) *page {
	c.t.Helper()
	return c.do(http.MethodPost, path, form)
}

// submit opens pagePath, finds the form posting to action, and posts it the way a browser
// would: every field with its current value (hidden ones, the CSRF token among them), replaced by
// values; a key given with no value is left out, like an unticked checkbox.
func (c *client) submit(pagePath, action string, values url.Values) *page {
	c.t.Helper()
	p := c.get(pagePath)
	v := formValues(p.form(c.t, action))
	for k, vs := range values {
		if len(vs) == 0 {
			v.Del(k)
		} else {
			v[k] = vs
		}
	}
	return c.post(action, v)
}

// formValues reads the values a browser would send for a form as it stands.
func formValues(f *html.Node) url.Values {
	v := url.Values{}
	for _, n := range findAll(f, func(n *html.Node) bool { return attr(n, "name") != "" }) {
		name := attr(n, "name")
		switch n.Data {
		case "input":
			switch attr(n, "type") {
			case "checkbox", "radio":
				if hasAttr(n, "checked") {
					v.Add(name, attr(n, "value"))
				}
			case "submit", "button":
			default:
				v.Add(name, attr(n, "value"))
			}
		case "textarea":
			v.Add(name, textOf(n))
		case "select":
			opts := byTag(n, "option")
			chosen := ""
			for i, o := range opts {
				if i == 0 || hasAttr(o, "selected") {
					chosen = attr(o, "value")
				}
			}
			v.Add(name, chosen)
		}
	}
	return v
}

// login logs in through the form and fails the test unless it succeeds.
func (c *client) login(email, pw string) {
	c.t.Helper()
	p := c.submit("/login", "/login", url.Values{"email": {email}, "password": {pw}})
	if p.status != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d, want 303; message %q", email, p.status, p.text("main"))
	}
}

// want fails the test unless the page has the status.
func (p *page) want(t *testing.T, status int) *page {
	t.Helper()
	if p.status != status {
		msg := p.body
		if p.doc != nil {
			msg = p.text("main")
		}
		t.Fatalf("%s: status %d, want %d; page says %q", p.url, p.status, status, msg)
	}
	return p
}

// location is the redirect target of a 303.
func (p *page) location() string { return p.header.Get("Location") }

// form returns the form posting to action, failing the test without one.
func (p *page) form(t *testing.T, action string) *html.Node {
	t.Helper()
	fs := findAll(p.doc, func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == action })
	if len(fs) == 0 {
		t.Fatalf("%s: no form posting to %s", p.url, action)
	}
	return fs[0]
}

// text is the whitespace-collapsed text of the element with the id, or of the first element
// with the tag name.
func (p *page) text(idOrTag string) string {
	if p.doc == nil {
		return ""
	}
	if n := byID(p.doc, idOrTag); n != nil {
		return textOf(n)
	}
	if ns := byTag(p.doc, idOrTag); len(ns) > 0 {
		return textOf(ns[0])
	}
	return ""
}

// htmlLang is the lang attribute of the page.
func (p *page) htmlLang() string {
	if ns := byTag(p.doc, "html"); len(ns) > 0 {
		return attr(ns[0], "lang")
	}
	return ""
}

// input returns the input, select or textarea named name, or nil.
func (p *page) input(name string) *html.Node {
	ns := findAll(p.doc, func(n *html.Node) bool {
		return (n.Data == "input" || n.Data == "select" || n.Data == "textarea") && attr(n, "name") == name
	})
	if len(ns) == 0 {
		return nil
	}
	return ns[0]
}
