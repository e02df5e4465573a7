package docs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestLinksReader(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"link and image", "See [ops](operations.md#backup) and ![shot](screenshots/a.png \"title\").", []string{"operations.md#backup", "screenshots/a.png"}},
		{"schemes skipped", "[a](https://x.example/y) [b](mailto:a@b.example) [c](//cdn.example/x) [d](#local)", []string{"#local"}},
		{"inline code is not a link", "Run `[x](nowhere.md)` or ``a ` [y](nowhere.md)`` then [z](here.md).", []string{"here.md"}},
		{"unmatched backtick is text", "a ` b [z](here.md)", []string{"here.md"}},
		{"fenced block skipped", "```sh\n[x](nowhere.md)\n```\n~~~~\n[y](nowhere.md)\n~~~~\n[z](here.md)", []string{"here.md"}},
		{"reference definition", "[ops]: operations.md\n[web]: https://x.example", []string{"operations.md"}},
		{"html", `<img src="screenshots/a.png" alt=""> <a href="kb.md">kb</a>`, []string{"screenshots/a.png", "kb.md"}},
		{"angle brackets", "[a](<my file.md>)", nil}, // a space inside <…> is not read; none of our docs has one
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, l := range links(c.src) {
				got = append(got, l.target)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("links = %q, want %q", got, c.want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	cases := map[string]string{
		"Backup and restore":               "backup-and-restore",
		"PostgreSQL and several instances": "postgresql-and-several-instances",
		"`opsdesk backup`: SQLite":         "opsdesk-backup-sqlite",
		"Mail set-up (IMAP, LMTP)":         "mail-set-up-imap-lmtp",
		"Sauvegarde et restauration, été":  "sauvegarde-et-restauration-été",
		"The [link](x.md) text":            "the-link-text",
		"opsdesk_desk_gauges_up and 5xx":   "opsdesk_desk_gauges_up-and-5xx",
		"Metrics to scrape / alert rules":  "metrics-to-scrape--alert-rules",
	}
	for in, want := range cases {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "# Title\n\n## Usage\n\n## Usage\n\n```\n# not a heading\n```\n")
	write("img/shot.png", "png")
	write("b.md", "")
	from := filepath.Join(dir, "b.md")
	cases := map[string]bool{ // target → resolves
		"a.md":               true,
		"a.md#usage":         true,
		"a.md#usage-1":       true,
		"a.md#Usage":         true,
		"a.md#usage-2":       false,
		"a.md#not-a-heading": false,
		"img/shot.png":       true,
		"img/":               true,
		"img/missing.png":    false,
		"missing.md":         false,
		"#title":             false, // b.md has no heading
		"a%2Emd":             true,
		"img/shot.png#x":     true, // fragments are checked in Markdown files only
	}
	for target, ok := range cases {
		if problem := resolve(from, target); (problem == "") != ok {
			t.Errorf("resolve(%q) = %q, want ok=%v", target, problem, ok)
		}
	}
}
