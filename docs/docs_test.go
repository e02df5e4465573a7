// Package docs holds the tests that keep opsdesk's documentation honest: every relative link and
// image of README.md and docs/ resolves, the shipped alert rules are well-formed and use metrics
// opsdesk exports, and docs/operations.md names only settings and metrics that exist.
package docs

import (
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// markdownFiles are the documents checked, relative to this directory: README.md and every .md
// file under docs/.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{"../README.md"}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestLinksResolve checks every relative link and image of README.md and docs/**/*.md: the file
// or directory it names exists, and a #fragment into a Markdown file names one of its headings
// (GitHub's anchors: see slug). Links with a scheme (https:, mailto:…) are not followed; links
// inside fenced code blocks and `inline code` are not links.
func TestLinksResolve(t *testing.T) {
	checked := 0
	for _, file := range markdownFiles(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range links(string(src)) {
			checked++
			if problem := resolve(file, l.target); problem != "" {
				t.Errorf("%s:%d: %s: %s", file, l.line, l.target, problem)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d relative links found: the link reader is broken", checked)
	}
	t.Logf("%d relative links checked", checked)
}

// resolve tells what is wrong with a relative target written in file, or "" when it resolves.
func resolve(file, target string) string {
	path, frag, _ := strings.Cut(target, "#")
	p, err := url.PathUnescape(path)
	if err != nil {
		return "bad escape in the path"
	}
	dest := file
	if p != "" {
		dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(p))
		if _, err := os.Stat(dest); err != nil {
			return "no such file"
		}
	}
	if frag == "" || !strings.HasSuffix(dest, ".md") {
		return ""
	}
	src, err := os.ReadFile(dest)
	if err != nil {
		return err.Error()
	}
	for _, a := range anchors(string(src)) {
		if a == strings.ToLower(frag) {
			return ""
		}
	}
	return "no heading with anchor #" + frag
}

// link is one relative link target and the line it is on.
type link struct {
	line   int
	target string
}

var (
	inlineLinkRE = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	refDefRE     = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?`)
	htmlAttrRE   = regexp.MustCompile(`<(?:a|img)\b[^>]*?\b(?:href|src)="([^"]+)"`)
	schemeRE     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// links returns the relative link and image targets of a Markdown document, outside code.
func links(src string) []link {
	var out []link
	for n, line := range proseLines(src) {
		if line == "" {
			continue
		}
		line = stripCodeSpans(line)
		var targets []string
		for _, re := range []*regexp.Regexp{inlineLinkRE, refDefRE, htmlAttrRE} {
			for _, m := range re.FindAllStringSubmatch(line, -1) {
				targets = append(targets, m[1])
			}
		}
		for _, tg := range targets {
			if !schemeRE.MatchString(tg) && !strings.HasPrefix(tg, "//") {
				out = append(out, link{line: n + 1, target: tg})
			}
		}
	}
	return out
}

// proseLines returns the document's lines with those of fenced code blocks (``` or ~~~) blanked,
// so that line numbers stay right.
func proseLines(src string) []string {
	lines := strings.Split(src, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			lines[i] = ""
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			for len(fence) < len(t) && t[len(fence)] == fence[0] {
				fence += fence[:1]
			}
			lines[i] = ""
		}
	}
	return lines
}

var headingRE = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)

// anchors returns the fragment identifiers GitHub gives the ATX headings (# …) of a document,
// in order; a repeated one gets -1, -2… as on GitHub.
func anchors(src string) []string {
	var out []string
	seen := map[string]int{}
	for _, l := range proseLines(src) {
		m := headingRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		s := slug(m[1])
		if n := seen[s]; n > 0 {
			out = append(out, s+"-"+strconv.Itoa(n))
		} else {
			out = append(out, s)
		}
		seen[s]++
	}
	return out
}

var mdLinkTextRE = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)

// slug is GitHub's anchor for a heading: its text (links reduced to their text) in lower case,
// spaces turned into '-', every other character that is not a letter, a digit, '-' or '_'
// dropped. "Backup and restore" → "backup-and-restore"; "`opsdesk backup`: SQLite" →
// "opsdesk-backup-sqlite".
func slug(heading string) string {
	heading = mdLinkTextRE.ReplaceAllString(heading, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stripCodeSpans removes the `code spans` of a line: a run of backticks up to the next run of
// the same length. An unmatched run is literal text.
func stripCodeSpans(line string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(line, '`')
		if i < 0 {
			return b.String() + line
		}
		n := i
		for n < len(line) && line[n] == '`' {
			n++
		}
		run := line[i:n]
		end := -1
		for j := n; j < len(line); {
			k := strings.Index(line[j:], run)
			if k < 0 {
				break
			}
			k += j
			if k+len(run) == len(line) || line[k+len(run)] != '`' {
				end = k
				break
			}
			for j = k; j < len(line) && line[j] == '`'; j++ {
			}
		}
		if end < 0 {
			b.WriteString(line[:n])
			line = line[n:]
			continue
		}
		b.WriteString(line[:i])
		line = line[end+len(run):]
	}
}
