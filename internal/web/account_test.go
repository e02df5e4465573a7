package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		here, elsewhere := ws.client(), ws.client()
		here.login(f.agent.Email, password)
		elsewhere.login(f.agent.Email, password)

		// A wrong current password: the message next to that field.
		p := here.submit("/account", "/account/password", url.Values{"current": {"not my password"},
			"new": {"a brand new passphrase"}, "new2": {"a brand new passphrase"}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("password-current-error"); !strings.Contains(msg, "is not your current password") {
			t.Errorf("current password error = %q", msg)
		}
		if attr(p.input("current"), "aria-invalid") != "true" {
			t.Error("the current password input is not marked invalid")
		}
		// A new password breaking the rules, and a confirmation that differs.
		p = here.submit("/account", "/account/password", url.Values{"current": {password}, "new": {"short"}, "new2": {"short"}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("password-new-error"); !strings.Contains(msg, "at least 10 characters") {
			t.Errorf("rule error = %q", msg)
		}
		p = here.submit("/account", "/account/password", url.Values{"current": {password}, "new": {"a brand new passphrase"}, "new2": {"a different one"}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("password-new2-error"); msg == "" {
			t.Error("no message for the differing confirmation")
		}

		// Success: this session stays, the other one is gone, the new password works.
		p = here.submit("/account", "/account/password", url.Values{"current": {password},
			"new": {"a brand new passphrase"}, "new2": {"a brand new passphrase"}}).want(t, http.StatusSeeOther)
		p = here.get(p.location()).want(t, http.StatusOK)
		if !strings.Contains(p.text("main"), "Password changed") {
			t.Errorf("no confirmation: %q", p.text("main"))
		}
		if loc := elsewhere.get("/").want(t, http.StatusSeeOther).location(); !strings.HasPrefix(loc, "/login") {
			t.Errorf("the other session was not ended: redirect to %q", loc)
		}
		ws.client().login(f.agent.Email, "a brand new passphrase")
		ws.client().submit("/login", "/login", url.Values{"email": {f.agent.Email}, "password": {password}}).want(t, http.StatusUnauthorized)
	})
}

func TestProfileLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		c.header.Set("Accept-Language", "en-GB,en;q=0.9")
		c.login(f.alice.Email, password)
		if lang := c.get("/").htmlLang(); lang != "en" {
			t.Fatalf("lang = %q before the switch", lang)
		}
		c.submit("/account", "/account", url.Values{"name": {"Alice"}, "lang": {"fr"}}).want(t, http.StatusSeeOther)
		p := c.get("/account?done=profile")
		if p.htmlLang() != "fr" || p.text("h1") != "Mon compte" || !strings.Contains(p.text("main"), "Profil enregistré") {
			t.Fatalf("after choosing French: lang %q, h1 %q", p.htmlLang(), p.text("h1"))
		}
		if sel := byID(p.doc, "profile-lang"); textOf(findAll(sel, func(n *htmlNode) bool { return hasAttr(n, "selected") })[0]) != "Français" {
			t.Error("the language select does not show the choice")
		}
		// Back to "browser": the Accept-Language header decides again.
		c.submit("/account", "/account", url.Values{"name": {"Alice"}, "lang": {""}}).want(t, http.StatusSeeOther)
		if lang := c.get("/").htmlLang(); lang != "en" {
			t.Fatalf("lang = %q after going back to the browser's", lang)
		}
		// An invalid language is a field error, in the page's language.
		p = c.submit("/account", "/account", url.Values{"name": {"Alice"}, "lang": {"de"}}).want(t, http.StatusUnprocessableEntity)
		if msg := p.text("profile-lang-error"); msg != "must be fr or en" {
			t.Errorf("lang error = %q", msg)
		}
	})
}

func TestAcceptLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ws := startSite(t, db) // default language: English
		for _, tt := range []struct{ header, lang, title string }{
			{"fr-FR;q=0.9, en;q=0.8", "fr", "Connexion"},
			{"fr-FR;q=0.9, en", "en", "Log in"},
			{"de-DE, fr;q=0.5", "fr", "Connexion"},
			{"de-DE", "en", "Log in"},
			{"", "en", "Log in"},
		} {
			c := ws.client()
			c.header.Set("Accept-Language", tt.header)
			p := c.get("/login").want(t, http.StatusOK)
			if p.htmlLang() != tt.lang || p.text("h1") != tt.title {
				t.Errorf("Accept-Language %q: lang %q, h1 %q; want %q, %q", tt.header, p.htmlLang(), p.text("h1"), tt.lang, tt.title)
			}
		}
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ws := startSite(t, db)
		c := ws.client()
		c.login(f.alice.Email, password)
		p := c.submit("/account/tokens", "/account/tokens", url.Values{"name": {"monitoring export"}, "expires": {"90"}}).want(t, http.StatusCreated)
		secret := attr(byID(p.doc, "token-secret"), "value")
		if !strings.HasPrefix(secret, "odk_") {
			t.Fatalf("no secret shown: %q", p.text("new-token"))
		}
		u, tk, err := db.UserByAPIToken(system, secret)
		if err != nil || u.ID != f.alice.ID || tk.ExpiresAt.IsZero() {
			t.Fatalf("the shown secret does not work: %+v %+v %v", u, tk, err)
		}

		// Never shown again: not in the list, not in any attribute or text of the page.
		p = c.get("/account/tokens").want(t, http.StatusOK)
		if strings.Contains(p.body, secret) || strings.Contains(p.body, secret[len(tk.Prefix):]) {
			t.Fatal("the secret is shown a second time")
		}
		rows := findAll(byID(p.doc, "tokens"), func(n *htmlNode) bool { return n.Data == "tr" && hasAttr(n, "data-token") })
		if len(rows) != 1 || !strings.Contains(textOf(rows[0]), "monitoring export") || !strings.Contains(textOf(rows[0]), tk.Prefix) {
			t.Fatalf("token list: %q", p.text("tokens"))
		}

		// Revoke: the token stops working at once and is listed as revoked.
		p = c.submit("/account/tokens", "/account/tokens/"+itoa(tk.ID)+"/revoke", nil).want(t, http.StatusSeeOther)
		if _, _, err := db.UserByAPIToken(system, secret); !opsdesk.IsKind(err, opsdesk.KindAuth) {
			t.Fatalf("revoked token still works: %v", err)
		}
		p = c.get(p.location())
		if len(byClass(p.doc, "token-revoked")) != 1 || len(findAll(p.doc, func(n *htmlNode) bool {
			return n.Data == "form" && strings.HasSuffix(attr(n, "action"), "/revoke")
		})) != 0 {
			t.Errorf("the list does not show the revocation: %q", p.text("tokens"))
		}

		// Another user cannot revoke it (nor learn it exists).
		other := ws.client()
		other.login(f.bob.Email, password)
		mine := c.submit("/account/tokens", "/account/tokens", url.Values{"name": {"second"}})
		_, tk2, _ := db.UserByAPIToken(system, attr(byID(mine.doc, "token-secret"), "value"))
		tok := attr(other.get("/account").input("csrf"), "value")
		other.post("/account/tokens/"+itoa(tk2.ID)+"/revoke", url.Values{"csrf": {tok}}).want(t, http.StatusNotFound)
	})
}
