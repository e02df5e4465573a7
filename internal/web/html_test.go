package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/opsdesk/opsdesk/internal/auth"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// htmlNode is a parsed HTML element.
type htmlNode = html.Node

// findAll returns the element nodes under n that match.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if n != nil {
		walk(n)
	}
	return out
}

func byID(n *html.Node, id string) *html.Node {
	if ns := findAll(n, func(n *html.Node) bool { return attr(n, "id") == id }); len(ns) > 0 {
		return ns[0]
	}
	return nil
}

func byTag(n *html.Node, tag string) []*html.Node {
	return findAll(n, func(n *html.Node) bool { return n.Data == tag })
}

func byClass(n *html.Node, class string) []*html.Node {
	return findAll(n, func(n *html.Node) bool { return hasClass(n, class) })
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// textOf is the text under n with whitespace collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// links are the href of every <a> on the page.
func (p *page) links() []string {
	var out []string
	for _, a := range byTag(p.doc, "a") {
		out = append(out, attr(a, "href"))
	}
	return out
}

// fixture holds two customer organisations, each with an environment and a user, and staff.
type fixture struct {
	acme, globex       *opsdesk.Customer
	acmeEnv, globexEnv *opsdesk.Environment
	admin, agent, ops  *opsdesk.User
	alice, bob         *opsdesk.User // alice at ACME, bob at GLOBEX
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{
		acme:   &opsdesk.Customer{Code: "ACME", Name: "Acme Industries", Domains: []string{"acme.example"}},
		globex: &opsdesk.Customer{Code: "GLOBEX", Name: "Globex Corporation", Domains: []string{"globex.example"}},
	}
	for _, c := range []*opsdesk.Customer{f.acme, f.globex} {
		if err := db.CreateCustomer(system, c); err != nil {
			t.Fatal(err)
		}
	}
	f.acmeEnv = &opsdesk.Environment{CustomerID: f.acme.ID, Kind: opsdesk.EnvProd, Name: "acme-prod", URL: "https://acme.example"}
	f.globexEnv = &opsdesk.Environment{CustomerID: f.globex.ID, Kind: opsdesk.EnvPreprod, Name: "globex-secret-preprod"}
	for _, e := range []*opsdesk.Environment{f.acmeEnv, f.globexEnv} {
		if err := db.CreateEnvironment(system, e); err != nil {
			t.Fatal(err)
		}
	}
	f.admin = mkUser(t, db, &opsdesk.User{Email: "root@vendor.example", Name: "Root Admin", Role: opsdesk.RoleAdmin})
	f.agent = mkUser(t, db, &opsdesk.User{Email: "n1@vendor.example", Name: "Nina One", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1})
	f.ops = mkUser(t, db, &opsdesk.User{Email: "ops@vendor.example", Name: "Olga Ops", Role: opsdesk.RoleOpsManager})
	f.alice = mkUser(t, db, &opsdesk.User{Email: "alice@acme.example", Name: "Alice", Role: opsdesk.RoleCustomer, CustomerID: f.acme.ID})
	f.bob = mkUser(t, db, &opsdesk.User{Email: "bob@globex.example", Name: "Bob", Role: opsdesk.RoleCustomer, CustomerID: f.globex.ID})
	return f
}

// mkUser creates a user whose password is the fixture password, hashed cheaply.
func mkUser(t *testing.T, db *store.DB, u *opsdesk.User) *opsdesk.User {
	t.Helper()
	h, err := auth.HashPassword(password, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(system, u, h); err != nil {
		t.Fatalf("create %s: %v", u.Email, err)
	}
	return u
}

// as is the context of a user, for checks made directly through the store.
func as(u *opsdesk.User) context.Context {
	return opsdesk.WithActor(context.Background(), opsdesk.ActorOf(u))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
