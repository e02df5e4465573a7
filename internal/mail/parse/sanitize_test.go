package parse

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// element is one element of sanitised HTML, as a real parser sees it.
type element struct {
	tag   string
	attrs map[string]string
}

// elements parses s and returns its elements in document order.
func elements(t *testing.T, s string) []element {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse sanitised HTML: %v", err)
	}
	var out []element
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			e := element{tag: n.Data, attrs: map[string]string{}}
			for _, a := range n.Attr {
				e.attrs[a.Key] = a.Val
			}
			out = append(out, e)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestSanitizeHTML(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		check func(t *testing.T, els []element, out string)
	}{
		{"script removed", `<p>hi</p><script>alert(1)</script>`, func(t *testing.T, els []element, out string) {
			for _, e := range els {
				if e.tag == "script" {
					t.Error("script element kept")
				}
			}
			if strings.Contains(out, "alert") {
				t.Error("script content kept")
			}
		}},
		{"style removed", `<style>p{color:red}</style><p style="color:red">x</p>`, func(t *testing.T, els []element, out string) {
			for _, e := range els {
				if e.tag == "style" || e.attrs["style"] != "" {
					t.Errorf("style kept on <%s>", e.tag)
				}
			}
		}},
		{"event handlers removed", `<p onclick="x()">a</p><img src="cid:a" onerror="steal()"><body onload="y()">`, func(t *testing.T, els []element, _ string) {
			for _, e := range els {
				for k := range e.attrs {
					if strings.HasPrefix(k, "on") {
						t.Errorf("<%s> keeps %s", e.tag, k)
					}
				}
			}
		}},
		{"javascript link removed", `<a href="javascript:alert(1)">click</a><a href="JaVaScRiPt:alert(1)">2</a>`, func(t *testing.T, els []element, _ string) {
			for _, e := range els {
				if strings.Contains(strings.ToLower(e.attrs["href"]), "javascript") {
					t.Errorf("javascript href kept: %q", e.attrs["href"])
				}
			}
		}},
		{"remote image loses its source", `<img src="https://tracker.example/p.gif" alt="logo"><img src="//tracker.example/q.gif">`, func(t *testing.T, els []element, _ string) {
			for _, e := range els {
				if e.tag == "img" && e.attrs["src"] != "" {
					t.Errorf("remote img src kept: %q", e.attrs["src"])
				}
			}
		}},
		{"cid image kept", `<img src="cid:part1.abc@example.com" alt="chart">`, func(t *testing.T, els []element, _ string) {
			found := false
			for _, e := range els {
				if e.tag == "img" && e.attrs["src"] == "cid:part1.abc@example.com" {
					found = true
				}
			}
			if !found {
				t.Error("cid image removed")
			}
		}},
		{"links open safely", `<a href="https://example.com/x">x</a>`, func(t *testing.T, els []element, _ string) {
			for _, e := range els {
				if e.tag != "a" {
					continue
				}
				if !strings.Contains(e.attrs["rel"], "nofollow") || !strings.Contains(e.attrs["rel"], "noopener") {
					t.Errorf("rel = %q, want nofollow noopener", e.attrs["rel"])
				}
				if e.attrs["target"] != "_blank" {
					t.Errorf("target = %q, want _blank", e.attrs["target"])
				}
			}
		}},
		{"forms and frames removed", `<form action="https://x"><input name="p"></form><iframe src="https://x"></iframe>`, func(t *testing.T, els []element, _ string) {
			for _, e := range els {
				switch e.tag {
				case "form", "input", "iframe":
					t.Errorf("<%s> kept", e.tag)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := sanitizeHTML(tt.in)
			tt.check(t, elements(t, out), out)
		})
	}
}

func TestHTMLOnlyMail(t *testing.T) {
	raw := msg([]string{"From: a@example.com", "Subject: html", "Content-Type: text/html; charset=utf-8"},
		`<html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; co</p><div>line two</div><script>x()</script><img src="http://t.example/p.gif"></body></html>`)
	m, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if m.Text != "Hello world & co\nline two" {
		t.Errorf("text = %q", m.Text)
	}
	for _, e := range elements(t, m.HTML) {
		if e.tag == "script" || (e.tag == "img" && e.attrs["src"] != "") {
			t.Errorf("unsafe <%s> kept in HTML", e.tag)
		}
	}
}
