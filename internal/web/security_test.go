package web_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
	"github.com/opsdesk/opsdesk/internal/web"
)

func TestCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)

		// The login form: a double-submit cookie token, before any session exists.
		c := ws.client()
		c.get("/login").want(t, http.StatusOK)
		creds := url.Values{"email": {f.agent.Email}, "password": {password}}
		isCSRFPage(t, c.post("/login", creds))
		isCSRFPage(t, c.post("/login", with(creds, "csrf", "forged-token-of-the-right-length-forged-token")))
		fresh := ws.client() // a browser without the cookie, replaying a token from elsewhere
		tok := attr(c.get("/login").input("csrf"), "value")
		isCSRFPage(t, fresh.post("/login", with(creds, "csrf", tok)))
		c.post("/login", with(creds, "csrf", tok)).want(t, http.StatusSeeOther)

		// Logged in: the session's token, on every state-changing form.
		profile := url.Values{"name": {"Nina Renamed"}, "lang": {"en"}}
		isCSRFPage(t, c.post("/account", profile))
		isCSRFPage(t, c.post("/account", with(profile, "csrf", tok))) // the pre-session token no longer counts
		isCSRFPage(t, c.post("/logout", url.Values{"csrf": {"wrong"}}))
		if u, _ := db.UserByID(system, f.agent.ID); u.Name != "Nina One" {
			t.Fatalf("a refused form changed the profile: %q", u.Name)
		}
		c.submit("/account", "/account", profile).want(t, http.StatusSeeOther)
		if u, _ := db.UserByID(system, f.agent.ID); u.Name != "Nina Renamed" {
			t.Fatalf("profile not saved: %q", u.Name)
		}
		// Another user's token is no good either.
		other := ws.client()
		other.login(f.ops.Email, password)
		otherTok := attr(other.get("/account").input("csrf"), "value")
		isCSRFPage(t, c.post("/account", with(profile, "csrf", otherTok)))
	})
}

func isCSRFPage(t *testing.T, p *page) {
	t.Helper()
	p.want(t, http.StatusForbidden)
	if msg := p.text("error-message"); !strings.Contains(msg, "form has expired") {
		t.Errorf("403 page says %q", msg)
	}
}

func with(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = vs
	}
	out.Set(k, val)
	return out
}

func TestSecurityHeaders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		check := func(p *page) {
			t.Helper()
			h := p.header
			if got := h.Get("Content-Security-Policy"); got != "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'" {
				t.Errorf("%s: CSP = %q", p.url, got)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
				"X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"} {
				if got := h.Get(k); got != want {
					t.Errorf("%s: %s = %q, want %q", p.url, k, got, want)
				}
			}
			if !strings.Contains(h.Get("Permissions-Policy"), "camera=()") {
				t.Errorf("%s: Permissions-Policy = %q", p.url, h.Get("Permissions-Policy"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s: HSTS sent over plain HTTP", p.url)
			}
		}
		check(c.get("/login"))
		c.login(f.admin.Email, password)
		home := c.get("/")
		check(home)
		check(c.get("/admin/users/999999"))
		if home.header.Get("Cache-Control") != "no-store" {
			t.Errorf("pages are cacheable: %q", home.header.Get("Cache-Control"))
		}
		// No inline script or style anywhere on the page (the CSP would block them): scripts are
		// opsdesk's own modules, under hashed URLs, with no content of their own.
		for _, n := range findAll(home.doc, func(n *htmlNode) bool { return true }) {
			module := n.Data == "script" && attr(n, "type") == "module" && strings.HasPrefix(attr(n, "src"), "/static/") && n.FirstChild == nil
			if (n.Data == "script" && !module) || n.Data == "style" || hasAttr(n, "style") {
				t.Errorf("inline %s on the home page", n.Data)
			}
			if module {
				js := c.get(attr(n, "src")).want(t, http.StatusOK)
				if !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") || !strings.Contains(js.header.Get("Cache-Control"), "immutable") {
					t.Errorf("script %s: %v", attr(n, "src"), js.header)
				}
			}
		}

		// The stylesheet: a hashed URL, a year of cache, the right type.
		links := findAll(home.doc, func(n *htmlNode) bool { return n.Data == "link" && attr(n, "rel") == "stylesheet" })
		if len(links) != 1 || !strings.HasPrefix(attr(links[0], "href"), "/static/app.") {
			t.Fatalf("stylesheet links: %v", links)
		}
		css := c.get(attr(links[0], "href")).want(t, http.StatusOK)
		if !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.header.Get("Cache-Control"), "max-age=31536000") ||
			!strings.Contains(css.body, ":focus-visible") {
			t.Errorf("stylesheet: %v", css.header)
		}
		check(css)
		c.get("/static/app.0000.css").want(t, http.StatusNotFound)

		// HSTS is sent when the request came over TLS.
		blobs, err := blob.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s, err := web.New(web.Options{DB: db, Blobs: blobs})
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		s.Routes(mux)
		tlsSrv := httptest.NewTLSServer(web.SecurityHeaders(mux))
		defer tlsSrv.Close()
		hc := tlsSrv.Client()
		hc.Transport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
		resp, err := hc.Get(tlsSrv.URL + "/login")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("no HSTS over TLS: %v", resp.Header)
		}
	})
}

// TestSecureCookies checks the cookie flags of an installation whose public URL is https.
func TestSecureCookies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ws := startSite(t, db, func(c *config.Config) { c.BaseURL = "https://support.example.com" })
		p := ws.client().get("/login").want(t, http.StatusOK)
		cks := p.header.Values("Set-Cookie")
		if len(cks) != 1 || !strings.HasPrefix(cks[0], "__Host-opsdesk_csrf=") || !strings.Contains(cks[0], "Secure") ||
			!strings.Contains(cks[0], "HttpOnly") || !strings.Contains(cks[0], "Path=/") {
			t.Errorf("CSRF cookie on https: %q", cks)
		}
	})
}

// TestRoutesLeaveOthersAlone checks that the UI does not shadow the routes other packages
// register on the same mux, and that unknown paths get the mux's own 404.
func TestRoutesLeaveOthersAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		blobs, err := blob.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s, err := web.New(web.Options{DB: db, Blobs: blobs})
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		s.Routes(mux)
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
		mux.HandleFunc("GET /api/v1/ping", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "pong") })
		for path, want := range map[string]int{"/healthz": 200, "/api/v1/ping": 200, "/no/such/page": 404, "/login": 200} {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != want {
				t.Errorf("GET %s = %d, want %d", path, rec.Code, want)
			}
		}
	})
}
