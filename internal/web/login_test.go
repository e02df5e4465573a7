package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestLoginLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()

		// Anonymous: the home page leads to the login page, which keeps where the user was going.
		if p := c.get("/admin/users?role=agent").want(t, http.StatusSeeOther); p.location() != "/login?next=%2Fadmin%2Fusers%3Frole%3Dagent" {
			t.Fatalf("redirect to %q", p.location())
		}
		p := c.get("/login").want(t, http.StatusOK)
		if byID(p.doc, "setup-notice") != nil {
			t.Error("the login page offers the first-run page although an admin exists")
		}
		for _, name := range []string{"email", "password"} {
			in := p.input(name)
			if in == nil || byID(p.doc, attr(in, "id")) == nil || len(findAll(p.doc, func(n *htmlNode) bool { return n.Data == "label" && attr(n, "for") == attr(in, "id") })) != 1 {
				t.Errorf("input %s has no label bound to it", name)
			}
		}

		// A wrong password: the form again, with a message, and no session.
		p = c.submit("/login", "/login", url.Values{"email": {f.admin.Email}, "password": {"not the password"}}).want(t, http.StatusUnauthorized)
		if msg := textOf(byClass(p.doc, "alert")[0]); !strings.Contains(msg, "Wrong email or password") {
			t.Errorf("failure message = %q", msg)
		}
		if v := attr(p.input("email"), "value"); v != f.admin.Email {
			t.Errorf("the address was not kept: %q", v)
		}
		c.get("/").want(t, http.StatusSeeOther)

		// The right password: a session cookie with the right attributes, then the next page.
		p = c.submit("/login?next=%2Fadmin%2Fusers", "/login", url.Values{"email": {"ROOT@vendor.example"}, "password": {password}}).want(t, http.StatusSeeOther)
		if p.location() != "/admin/users" {
			t.Errorf("after login, redirect to %q", p.location())
		}
		ck := sessionSetCookie(t, p)
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(ck, want) {
				t.Errorf("session cookie %q lacks %s", ck, want)
			}
		}
		if strings.Contains(ck, "Secure") {
			t.Errorf("session cookie %q is Secure on an http base URL", ck)
		}
		p = c.get("/").want(t, http.StatusOK)
		if h1 := p.text("h1"); !strings.Contains(h1, "Root Admin") {
			t.Errorf("home heading = %q", h1)
		}
		// A logged-in user who opens /login goes on.
		c.get("/login").want(t, http.StatusSeeOther)

		// Logout ends the session in the database, not only in the browser.
		old := c.hc.Jar.Cookies(mustURL(ws.srv.URL))
		c.submit("/", "/logout", nil).want(t, http.StatusSeeOther)
		c.get("/").want(t, http.StatusSeeOther)
		replay := ws.client()
		replay.hc.Jar.SetCookies(mustURL(ws.srv.URL), old)
		replay.get("/").want(t, http.StatusSeeOther)
	})
}

func TestLoginNextIsLocal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		for next, want := range map[string]string{
			"/account":                "/account",
			"/admin/users?role=agent": "/admin/users?role=agent",
			"//evil.example/x":        "/",
			"https://evil.example/":   "/",
			"/\\evil.example":         "/",
			"javascript:alert(1)":     "/",
			"account":                 "/",
		} {
			c := ws.client()
			p := c.submit("/login?next="+url.QueryEscape(next), "/login", url.Values{"email": {f.agent.Email}, "password": {password}})
			if p.want(t, http.StatusSeeOther); p.location() != want {
				t.Errorf("next=%q: redirect to %q, want %q", next, p.location(), want)
			}
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db, func(c *config.Config) { c.TrustProxy = true })
		attempt := func(s *site, ip, email, pw string) *page {
			c := s.client()
			c.header.Set("X-Forwarded-For", "203.0.113.250, "+ip)
			return c.submit("/login", "/login", url.Values{"email": {email}, "password": {pw}})
		}

		// Five failures for one address, from different IPs; the sixth attempt is refused even
		// with the right password, before the password is checked.
		for i := range 5 {
			attempt(ws, "198.51.100."+strconv.Itoa(i+1), f.agent.Email, "wrong password").want(t, http.StatusUnauthorized)
		}
		p := attempt(ws, "198.51.100.9", f.agent.Email, password).want(t, http.StatusTooManyRequests)
		if ra, _ := strconv.Atoi(p.header.Get("Retry-After")); ra < 60 || ra > 15*60 {
			t.Errorf("Retry-After = %q", p.header.Get("Retry-After"))
		}
		if msg := textOf(byClass(p.doc, "alert")[0]); !strings.Contains(msg, "try again in 15 minute") {
			t.Errorf("429 message = %q", msg)
		}

		// The counter is in the database: another instance refuses too.
		other := startSite(t, db, func(c *config.Config) { c.TrustProxy = true })
		attempt(other, "198.51.100.10", f.agent.Email, password).want(t, http.StatusTooManyRequests)

		// A success clears the address's counter: four failures, a success, four more, and
		// the right password still works.
		for range 4 {
			attempt(ws, "192.0.2.1", f.ops.Email, "wrong password").want(t, http.StatusUnauthorized)
		}
		attempt(ws, "192.0.2.1", f.ops.Email, password).want(t, http.StatusSeeOther)
		for range 4 {
			attempt(ws, "192.0.2.2", f.ops.Email, "wrong password").want(t, http.StatusUnauthorized)
		}
		attempt(ws, "192.0.2.2", f.ops.Email, password).want(t, http.StatusSeeOther)

		// Twenty failures from one IP over many addresses (four each, under the address limit)
		// block that IP, and not others.
		var spread []string
		for i := range 5 {
			u := mkUser(t, db, &opsdesk.User{Email: "spread" + strconv.Itoa(i) + "@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1})
			spread = append(spread, u.Email)
		}
		for i := range 20 {
			attempt(ws, "192.0.2.66", spread[i%5], "wrong password").want(t, http.StatusUnauthorized)
		}
		attempt(ws, "192.0.2.66", f.admin.Email, password).want(t, http.StatusTooManyRequests)
		attempt(ws, "192.0.2.67", f.admin.Email, password).want(t, http.StatusSeeOther)

		// Without TrustProxy, X-Forwarded-For is ignored: the peer address counts.
		if n, err := db.AuthFailures(system, "login-ip:127.0.0.1", db.Now().Add(-15*time.Minute)); err != nil || n != 0 {
			t.Errorf("failures counted for the proxy's own address: %d, %v", n, err)
		}
	})
}

func TestFirstRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ws := startSite(t, db)
		c := ws.client()
		p := c.get("/login").want(t, http.StatusOK)
		if n := byID(p.doc, "setup-notice"); n == nil || !containsLink(p, "/setup") {
			t.Fatal("the login page of an empty database does not point to /setup")
		}
		c.get("/setup").want(t, http.StatusOK)

		// Mismatched passwords: 422, the message next to the confirmation, the input kept.
		p = c.submit("/setup", "/setup", url.Values{"email": {"first@vendor.example"}, "name": {"First Admin"},
			"password": {"a long enough password"}, "password2": {"another one entirely"}}).want(t, http.StatusUnprocessableEntity)
		if byID(p.doc, "setup-password2-error") == nil || attr(p.input("name"), "value") != "First Admin" {
			t.Fatalf("no field error or lost input: %q", p.text("main"))
		}
		if attr(p.input("password"), "value") != "" {
			t.Error("a password was echoed back")
		}

		p = c.submit("/setup", "/setup", url.Values{"email": {"first@vendor.example"}, "name": {"First Admin"},
			"password": {"a long enough password"}, "password2": {"a long enough password"}}).want(t, http.StatusSeeOther)
		p = c.get(p.location()).want(t, http.StatusOK)
		if !strings.Contains(p.text("h1"), "First Admin") || !strings.Contains(p.text("main"), "administrator account is ready") {
			t.Errorf("after setup: %q", p.text("main"))
		}
		u, err := db.UserByEmail(system, "first@vendor.example")
		if err != nil || u.Role != opsdesk.RoleAdmin {
			t.Fatalf("first admin: %+v, %v", u, err)
		}

		// Once an admin exists, the page is gone, for GET and POST alike.
		anon := ws.client()
		anon.get("/setup").want(t, http.StatusNotFound)
		p = anon.get("/login")
		if byID(p.doc, "setup-notice") != nil {
			t.Error("the login page still offers /setup")
		}
		tok := attr(findAll(p.form(t, "/login"), func(n *htmlNode) bool { return attr(n, "name") == "csrf" })[0], "value")
		anon.post("/setup", url.Values{"csrf": {tok}, "email": {"second@vendor.example"}, "password": {"a long enough password"},
			"password2": {"a long enough password"}}).want(t, http.StatusNotFound)
		if n, _ := db.CountAdmins(system); n != 1 {
			t.Errorf("%d admins after a second first-run post", n)
		}
	})
}

// sessionSetCookie returns the Set-Cookie header of the session cookie.
func sessionSetCookie(t *testing.T, p *page) string {
	t.Helper()
	for _, v := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "opsdesk_session=") {
			return v
		}
	}
	t.Fatal("no session cookie set")
	return ""
}

func containsLink(p *page, href string) bool {
	for _, l := range p.links() {
		if l == href {
			return true
		}
	}
	return false
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
