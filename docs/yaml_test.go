package docs

import (
	"fmt"
	"strings"
	"testing"
)

// parseYAML reads the block-style subset of YAML that the files in deploy/ are written in:
// mappings and sequences by indentation (spaces only), plain, 'single' and "double" quoted
// scalars, literal (|, |-) and folded (>, >-) block scalars, full-line and trailing comments.
// Anything outside the subset — tabs, flow collections, anchors, tags, a bad indentation, a
// duplicate key — is an error naming the line, so a file it accepts is also valid YAML with the
// same meaning. opsdesk has no YAML module (docs/dependencies.md), and one test is no reason to
// add one.
func parseYAML(src string) (any, error) {
	p := &yamlParser{}
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		if strings.Contains(raw, "\t") {
			return nil, fmt.Errorf("line %d: tab character", i+1)
		}
		p.lines = append(p.lines, yamlLine{no: i + 1, text: raw, indent: len(raw) - len(strings.TrimLeft(raw, " "))})
	}
	p.skipBlank()
	if p.i == len(p.lines) {
		return nil, fmt.Errorf("empty document")
	}
	v, err := p.node(p.lines[p.i].indent)
	if err != nil {
		return nil, err
	}
	if p.skipBlank(); p.i < len(p.lines) {
		return nil, fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].no)
	}
	return v, nil
}

type yamlLine struct {
	no     int
	text   string
	indent int
}

type yamlParser struct {
	lines []yamlLine
	i     int
}

// blank tells whether a line holds nothing but spaces or a comment.
func (l yamlLine) blank() bool {
	t := strings.TrimSpace(l.text)
	return t == "" || strings.HasPrefix(t, "#")
}

func (p *yamlParser) skipBlank() {
	for p.i < len(p.lines) && p.lines[p.i].blank() {
		p.i++
	}
}

// node reads the mapping or sequence whose lines start at column indent.
func (p *yamlParser) node(indent int) (any, error) {
	l := p.lines[p.i]
	if l.indent != indent {
		return nil, fmt.Errorf("line %d: indentation %d, want %d", l.no, l.indent, indent)
	}
	if t := strings.TrimSpace(l.text); t == "-" || strings.HasPrefix(t, "- ") {
		return p.sequence(indent)
	}
	return p.mapping(indent)
}

func (p *yamlParser) sequence(indent int) (any, error) {
	var seq []any
	for p.skipBlank(); p.i < len(p.lines) && p.lines[p.i].indent == indent; p.skipBlank() {
		l := p.lines[p.i]
		t := strings.TrimSpace(l.text)
		if t != "-" && !strings.HasPrefix(t, "- ") {
			break // a key of the enclosing mapping, written at the dashes' column
		}
		rest := strings.TrimSpace(strings.TrimPrefix(t, "-"))
		if rest == "" || isKeyLine(rest) {
			// The item is a mapping: its first key shares the dash's line. Read that line as if
			// the dash were a space.
			at := indent + 2
			if rest != "" {
				p.lines[p.i] = yamlLine{no: l.no, text: strings.Repeat(" ", at) + rest, indent: at}
			} else {
				p.i++
				if p.skipBlank(); p.i == len(p.lines) {
					return nil, fmt.Errorf("line %d: empty sequence item", l.no)
				}
				at = p.lines[p.i].indent
			}
			if at <= indent {
				return nil, fmt.Errorf("line %d: empty sequence item", l.no)
			}
			v, err := p.node(at)
			if err != nil {
				return nil, err
			}
			seq = append(seq, v)
			continue
		}
		v, err := scalar(rest, l.no)
		if err != nil {
			return nil, err
		}
		seq = append(seq, v)
		p.i++
	}
	return seq, nil
}

// isKeyLine tells whether s starts with a mapping key: "key:" alone or "key: value".
func isKeyLine(s string) bool {
	if strings.HasPrefix(s, "'") || strings.HasPrefix(s, "\"") {
		return false
	}
	k, _, ok := strings.Cut(s, ":")
	return ok && !strings.ContainsAny(k, " #") && (strings.HasSuffix(s, ":") || strings.HasPrefix(s[len(k):], ": "))
}

func (p *yamlParser) mapping(indent int) (any, error) {
	m := map[string]any{}
	for p.skipBlank(); p.i < len(p.lines) && p.lines[p.i].indent == indent; p.skipBlank() {
		l := p.lines[p.i]
		t := strings.TrimSpace(l.text)
		if !isKeyLine(t) {
			return nil, fmt.Errorf("line %d: key: value expected, got %q", l.no, t)
		}
		k, rest, _ := strings.Cut(t, ":")
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("line %d: key %q appears twice", l.no, k)
		}
		rest = strings.TrimSpace(rest)
		p.i++
		switch {
		case rest == "" || strings.HasPrefix(rest, "#"):
			if p.skipBlank(); p.i == len(p.lines) || p.lines[p.i].indent < indent ||
				(p.lines[p.i].indent == indent && !strings.HasPrefix(strings.TrimSpace(p.lines[p.i].text), "- ")) {
				m[k] = "" // a key without value is null; "" is enough here
				continue
			}
			v, err := p.node(p.lines[p.i].indent)
			if err != nil {
				return nil, err
			}
			m[k] = v
		case rest == "|" || rest == "|-" || rest == ">" || rest == ">-":
			m[k] = p.block(indent, rest)
		default:
			v, err := scalar(rest, l.no)
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
	}
	return m, nil
}

// block reads a literal or folded block scalar indented deeper than its key.
func (p *yamlParser) block(keyIndent int, style string) string {
	var lines []string
	at := -1
	for ; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		if strings.TrimSpace(l.text) == "" {
			lines = append(lines, "")
			continue
		}
		if l.indent <= keyIndent || (at >= 0 && l.indent < at) {
			break
		}
		if at < 0 {
			at = l.indent
		}
		lines = append(lines, l.text[at:])
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	sep := "\n"
	if strings.HasPrefix(style, ">") {
		sep = " "
	}
	s := strings.Join(lines, sep)
	if !strings.HasSuffix(style, "-") && s != "" {
		s += "\n"
	}
	return s
}

// scalar reads a one-line scalar: quoted, or plain up to a trailing comment.
func scalar(s string, no int) (string, error) {
	switch {
	case strings.HasPrefix(s, "'"):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			if s[i] != '\'' {
				b.WriteByte(s[i])
				continue
			}
			if i+1 < len(s) && s[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return b.String(), trailing(s[i+1:], no)
		}
		return "", fmt.Errorf("line %d: unterminated 'string'", no)
	case strings.HasPrefix(s, "\""):
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; {
			case c == '\\' && i+1 < len(s):
				i++
				b.WriteByte(map[byte]byte{'n': '\n', 't': '\t', '"': '"', '\\': '\\'}[s[i]])
			case c == '"':
				return b.String(), trailing(s[i+1:], no)
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("line %d: unterminated \"string\"", no)
	}
	if strings.ContainsAny(s[:1], "{[&*!%@`|>") {
		return "", fmt.Errorf("line %d: %q is outside the YAML subset read here", no, s)
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = s[:i]
	}
	if strings.Contains(s, ": ") {
		return "", fmt.Errorf("line %d: ': ' in a plain scalar; quote it", no)
	}
	return strings.TrimSpace(s), nil
}

// trailing checks that only a comment follows a quoted scalar.
func trailing(rest string, no int) error {
	if r := strings.TrimSpace(rest); r != "" && !strings.HasPrefix(r, "#") {
		return fmt.Errorf("line %d: %q after a quoted string", no, r)
	}
	return nil
}

func TestParseYAMLSubset(t *testing.T) {
	good := []struct {
		name, src, want string
	}{
		{"nested", "a:\n  b: c\n  d:\n    - e\n    - 'f '' g'\n", "map[a:map[b:c d:[e f ' g]]]"},
		{"sequence of mappings", "xs:\n  - k: 1\n    v: \"two # three\"\n  - k: 4 # comment\n", "map[xs:[map[k:1 v:two # three] map[k:4]]]"},
		{"literal block", "e: |\n  up == 0\n    and x\n\nn: 1\n", "map[e:up == 0\n  and x\n n:1]"},
		{"folded strip", "e: >-\n  a\n  b\n", "map[e:a b]"},
		{"sequence at key indent", "g:\n- a\n- b\nh: i\n", "map[g:[a b] h:i]"},
	}
	for _, c := range good {
		t.Run(c.name, func(t *testing.T) {
			v, err := parseYAML(c.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(v); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	bad := map[string]string{
		"tab":           "a:\n\tb: c\n",
		"duplicate key": "a: 1\na: 2\n",
		"flow mapping":  "a: {b: c}\n",
		"colon space":   "a: b: c\n",
		"bad indent":    "a:\n    b: 1\n  c: 2\n",
		"unterminated":  "a: 'b\n",
		"not a key":     "a: 1\njust text\n",
		"after quote":   "a: 'b' c\n",
	}
	for name, src := range bad {
		t.Run(name, func(t *testing.T) {
			if v, err := parseYAML(src); err == nil {
				t.Errorf("accepted %q as %v", src, v)
			}
		})
	}
}
