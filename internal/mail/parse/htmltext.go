package parse

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockAtoms are elements that start and end a line when HTML is reduced to text.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Table: true, atom.Tr: true,
	atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Caption: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Blockquote: true, atom.Pre: true, atom.Hr: true, atom.Address: true,
	atom.Article: true, atom.Aside: true, atom.Section: true, atom.Header: true,
	atom.Footer: true, atom.Nav: true, atom.Center: true, atom.Form: true,
	atom.Fieldset: true, atom.Figure: true, atom.Figcaption: true, atom.Main: true,
	atom.Body: true, atom.Html: true, atom.Legend: true,
}

// skipAtoms are elements whose content is not text.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Title: true, atom.Noscript: true,
	atom.Template: true, atom.Object: true, atom.Iframe: true, atom.Svg: true,
	atom.Select: true, atom.Textarea: true,
}

var manyBlankLines = regexp.MustCompile(`\n{3,}`)

// htmlToText reduces HTML to plain text: tags removed, script/style/head content dropped, block
// elements as line breaks, table cells separated by a blank, entities decoded, whitespace
// collapsed outside <pre>.
func htmlToText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var (
		out       strings.Builder
		skipDepth int
		skipTag   atom.Atom
		pre       int
		spacePend bool
	)
	newline := func() {
		spacePend = false
		str := out.String()
		if str != "" && !strings.HasSuffix(str, "\n") {
			out.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, _ := z.TagName()
		a := atom.Lookup(name)
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			if skipDepth > 0 {
				if a == skipTag && tt == html.StartTagToken {
					skipDepth++
				}
				continue
			}
			if skipAtoms[a] && tt == html.StartTagToken {
				skipDepth, skipTag = 1, a
				continue
			}
			switch {
			case a == atom.Br:
				spacePend = false
				out.WriteByte('\n')
			case a == atom.Td || a == atom.Th:
				spacePend = true
			case blockAtoms[a]:
				newline()
				if a == atom.Pre {
					pre++
				}
			case a == atom.Img:
				spacePend = true
			}
		case html.EndTagToken:
			if skipDepth > 0 {
				if a == skipTag {
					skipDepth--
				}
				continue
			}
			if a == atom.Pre && pre > 0 {
				pre--
			}
			if blockAtoms[a] {
				newline()
			} else if a == atom.Td || a == atom.Th {
				spacePend = true
			}
		case html.TextToken:
			if skipDepth > 0 {
				continue
			}
			text := strings.ReplaceAll(string(z.Text()), "\u00a0", " ")
			if pre > 0 {
				out.WriteString(strings.ReplaceAll(text, "\r\n", "\n"))
				continue
			}
			if text != "" && isSpaceByte(text[0]) {
				spacePend = true
			}
			words := strings.Fields(text)
			for i, w := range words {
				str := out.String()
				if (i > 0 || spacePend) && str != "" && !strings.HasSuffix(str, "\n") && !strings.HasSuffix(str, " ") {
					out.WriteByte(' ')
				}
				out.WriteString(w)
				spacePend = false
			}
			if len(words) > 0 && isSpaceByte(text[len(text)-1]) {
				spacePend = true
			}
		}
	}
	lines := strings.Split(out.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(manyBlankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
