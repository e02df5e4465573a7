package web

import (
	"strings"
	"testing"
)

// TestRenderMarkdown checks that Markdown renders, and that hostile input — raw HTML, scripts,
// event handlers, javascript: and data: links — comes out harmless.
func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string // substrings of the output
		notWant []string // case-insensitive substrings that must not appear
	}{
		{"emphasis and lists", "Some **bold** and *em*.\n\n- one\n- two\n",
			[]string{"<strong>bold</strong>", "<em>em</em>", "<li>one</li>"}, nil},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |\n", []string{"<table>", "<td>1</td>"}, nil},
		{"code is escaped", "`<b>x</b>`\n\n```\n<script>alert(1)</script>\n```\n",
			[]string{"<code>&lt;b&gt;x&lt;/b&gt;</code>", "&lt;script&gt;"}, []string{"<script"}},
		{"safe link", "[docs](https://example.com/a?b=1)", []string{`href="https://example.com/a?b=1"`, "nofollow"}, nil},
		{"script tag", "Hello <script>alert('x')</script> world\n\n<script>document.cookie</script>",
			[]string{"Hello"}, []string{"<script"}},
		{"javascript link", "[click](javascript:alert(1)) and <javascript:alert(2)>",
			[]string{"click"}, []string{`href="javascript`, "href=javascript"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:text"}},
		{"raw html block", "<div onclick=\"steal()\">hi</div>\n\n<iframe src=\"https://evil.example\"></iframe>",
			nil, []string{"onclick", "steal()", "<iframe", "<div"}},
		{"event handler on image", "<img src=x onerror=alert(1)>\n\n![pic](https://example.com/p.png \"t\")",
			[]string{`src="https://example.com/p.png"`}, []string{"onerror"}},
		{"style and form", "<style>body{display:none}</style><form action=/logout><button>x</button></form>",
			nil, []string{"<style", "<form", "<button", "display:none"}},
		{"entity tricks", "[x](&#106;avascript:alert(1))", nil, []string{`href="javascript`, `href="&#106;`}},
		{"task list", "- [x] done\n- [ ] todo\n", []string{`type="checkbox"`, "checked"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(renderMarkdown(tt.src))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("renderMarkdown(%q) = %q, want it to contain %q", tt.src, got, w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(strings.ToLower(got), strings.ToLower(nw)) {
					t.Errorf("renderMarkdown(%q) = %q, must not contain %q", tt.src, got, nw)
				}
			}
		})
	}
}
