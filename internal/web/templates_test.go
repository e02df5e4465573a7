package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/i18n"
)

// TestMessageKeysExist checks every catalog key the templates and handlers name literally, so a
// typo shows up here and not as a raw key on a page. (Keys built from values — role.*, level.*
// — are covered by the i18n package's tests.)
func TestMessageKeysExist(t *testing.T) {
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\bt "([a-z0-9_.]+)"`),
		regexp.MustCompile(`\((?:field|select) \S+ "[a-z0-9_]+" "([a-z0-9_.]+)"`),
		regexp.MustCompile(`"hint=([a-z0-9_.]+)"`),
		regexp.MustCompile(`c\.T\("([a-z0-9_.]+)"`),
		regexp.MustCompile(`errorPage\(c, [^,]+, "([a-z0-9_.]+)"`),
		regexp.MustCompile(`langOptions\(c, "([a-z0-9_.]+)"`),
	}
	seen := 0
	check := func(name, src string) {
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				seen++
				if key := m[1]; !strings.HasSuffix(key, ".") && !i18n.Has(key) {
					t.Errorf("%s: unknown message key %q", name, key)
				}
			}
		}
	}
	err := fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		check(path, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	gos, _ := filepath.Glob("*.go")
	for _, g := range gos {
		if strings.HasSuffix(g, "_test.go") {
			continue
		}
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		check(g, string(b))
		for _, m := range regexp.MustCompile(`[?&]done=([a-z_]+)`).FindAllStringSubmatch(string(b), -1) {
			if !i18n.Has("done." + m[1]) {
				t.Errorf("%s: no confirmation message done.%s", g, m[1])
			}
		}
	}
	if seen < 150 {
		t.Errorf("only %d keys found: the patterns no longer match the code", seen)
	}
}

// TestTemplatesObeyCSP looks for what the Content-Security-Policy would block: inline scripts,
// inline styles, event-handler attributes, and resources from elsewhere. The one script tag
// allowed loads one of opsdesk's own modules, empty.
func TestTemplatesObeyCSP(t *testing.T) {
	bad := regexp.MustCompile(`(?i)<script|<style|\sstyle=|\son[a-z]+=|src="https?:|href="https?:`)
	module := regexp.MustCompile(`<script type="module" src="\{\{js "[a-z]+"\}\}"></script>`)
	modules := 0
	fs.WalkDir(files, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := files.ReadFile(path)
		modules += len(module.FindAll(b, -1))
		b = module.ReplaceAll(b, nil)
		if m := bad.FindString(string(b)); m != "" {
			t.Errorf("%s: %q is forbidden by the CSP", path, m)
		}
		return nil
	})
	if modules == 0 {
		t.Error("no script module is loaded: live updates and shortcuts are gone")
	}
}
