package parse

import (
	"net/http"
	"regexp"
	"strings"
)

// bodyPart is the body found below one node: text (HTML parts reduced to text) and the raw
// HTML; native reports whether the text came from at least one text/plain part.
type bodyPart struct {
	text   []string
	html   []string
	native bool
}

// fillBody chooses the body text and HTML, folds quotes, and lists the attachments.
func (st *state) fillBody(msg *Message, root *node) {
	root.walk(func(n *node) {
		if !n.multipart() {
			n.name = st.decodeHeaderText("filename", fileName(n))
		}
	})
	used := map[*node]bool{}
	b := st.body(root, used)
	msg.Text = joinText(b.text)
	msg.HTML = sanitizeHTML(strings.Join(b.html, "\n"))
	msg.TextNew = foldQuotes(msg.Text)
	msg.Attachments = []Attachment{}
	st.attachments(root, used, false, &msg.Attachments)
}

// body implements the body rules: inside multipart/alternative the first alternative with a
// text/plain part gives the text and the last one with HTML gives the HTML; multipart/related
// contributes its root part; multipart/report and multipart/signed their first part; other
// multiparts (mixed and unknown) concatenate their inline text parts in order. A text leaf is
// body unless it is an attachment (disposition attachment, or a file name without disposition
// inline). Attached messages (message/*) are never body.
func (st *state) body(n *node, used map[*node]bool) bodyPart {
	if !n.multipart() {
		if !isBodyLeaf(n) {
			return bodyPart{}
		}
		used[n] = true
		s := st.leafText(n)
		if n.ctype == "text/html" {
			return bodyPart{text: []string{htmlToText(s)}, html: []string{s}}
		}
		return bodyPart{text: []string{s}, native: true}
	}
	switch n.ctype {
	case "multipart/alternative":
		var textFrom, htmlFrom *bodyPart
		parts := make([]bodyPart, len(n.children))
		for i, c := range n.children {
			parts[i] = st.body(c, used)
			p := &parts[i]
			if p.native && textFrom == nil {
				textFrom = p
			}
			if len(p.html) > 0 {
				htmlFrom = p
			}
		}
		if textFrom == nil {
			textFrom = htmlFrom
		}
		if textFrom == nil {
			for i := range parts {
				if len(parts[i].text) > 0 {
					textFrom = &parts[i]
				}
			}
		}
		var out bodyPart
		if textFrom != nil {
			out.text, out.native = textFrom.text, textFrom.native
		}
		if htmlFrom != nil {
			out.html = htmlFrom.html
		}
		return out
	case "multipart/related":
		if r := relatedRoot(n); r != nil {
			return st.body(r, used)
		}
		return bodyPart{}
	case "multipart/report", "multipart/signed":
		if len(n.children) > 0 {
			return st.body(n.children[0], used)
		}
		return bodyPart{}
	case "multipart/encrypted":
		return bodyPart{}
	}
	var out bodyPart
	for _, c := range n.children {
		p := st.body(c, used)
		out.text = append(out.text, p.text...)
		out.html = append(out.html, p.html...)
		out.native = out.native || p.native
	}
	return out
}

// relatedRoot returns the root of a multipart/related: the part named by "start", else the
// first part.
func relatedRoot(n *node) *node {
	if len(n.children) == 0 {
		return nil
	}
	if start := strings.Trim(n.params["start"], "<> "); start != "" {
		for _, c := range n.children {
			if c.cid == start {
				return c
			}
		}
	}
	return n.children[0]
}

// isBodyLeaf reports whether a leaf is body text.
func isBodyLeaf(n *node) bool {
	switch n.ctype {
	case "", "text/plain", "text/html":
	default:
		return false
	}
	if n.disp == "attachment" {
		return false
	}
	return n.disp == "inline" || n.name == ""
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)`)

// leafText transfer-decodes and charset-decodes a text leaf. HTML without a charset parameter
// may declare it in a <meta> element.
func (st *state) leafText(n *node) string {
	data, problem := decodeTransfer(n.cte, n.raw)
	if problem != "" {
		st.defect("mime part %s: %s", n.id, problem)
	}
	charset := n.params["charset"]
	if charset == "" && n.ctype == "text/html" {
		if m := metaCharset.FindSubmatch(data); m != nil {
			charset = string(m[1])
		}
	}
	s, problem := decodeCharset(data, charset, st.hint)
	if problem != "" {
		st.defect("mime part %s: %s", n.id, problem)
	}
	if strings.EqualFold(n.params["format"], "flowed") && n.ctype != "text/html" {
		s = unflow(s, strings.EqualFold(n.params["delsp"], "yes"))
	}
	return s
}

// fileName returns the decoded file name a part carries: Content-Disposition filename, else
// Content-Type name (RFC 2231 and RFC 2047 decoded), or "".
func fileName(n *node) string {
	name := n.dparams["filename"]
	if strings.TrimSpace(name) == "" {
		name = n.params["name"]
	}
	return strings.TrimSpace(name)
}

// attachments lists every leaf not used as body. The inside of message/* parts is not entered.
func (st *state) attachments(n *node, used map[*node]bool, related bool, out *[]Attachment) {
	if n.multipart() {
		for _, c := range n.children {
			st.attachments(c, used, related || n.ctype == "multipart/related", out)
		}
		return
	}
	if used[n] && n.name == "" {
		return
	}
	data, problem := decodeTransfer(n.cte, n.raw)
	if problem != "" && !used[n] {
		st.defect("mime part %s: %s", n.id, problem)
	}
	ctype := n.ctype
	if ctype == "" {
		ctype = "text/plain"
	}
	*out = append(*out, Attachment{
		Name:        n.name,
		ContentType: ctype,
		SniffedType: http.DetectContentType(data),
		Size:        len(data),
		ContentID:   n.cid,
		Inline:      n.disp == "inline" || n.disp == "" && n.cid != "" && related,
		Data:        data,
	})
}

// joinText joins body text segments with a blank line and normalises line ends to "\n".
func joinText(parts []string) string {
	var keep []string
	for _, p := range parts {
		p = strings.ReplaceAll(strings.ReplaceAll(p, "\r\n", "\n"), "\r", "\n")
		if strings.TrimSpace(p) != "" {
			keep = append(keep, strings.TrimRight(p, " \t\n"))
		}
	}
	s := strings.Join(keep, "\n\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			return s
		}
		s = rest // leading blank lines
	}
}

// unflow joins the soft line breaks of RFC 3676 format=flowed text, keeping quote depth.
func unflow(s string, delsp bool) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out strings.Builder
	prevSoft, prevDepth := false, -1
	for _, l := range lines {
		depth := 0
		for depth < len(l) && l[depth] == '>' {
			depth++
		}
		content := strings.TrimPrefix(l[depth:], " ") // space stuffing
		if !(prevSoft && depth == prevDepth) {
			if prevDepth >= 0 {
				out.WriteByte('\n')
			}
			if depth > 0 {
				out.WriteString(strings.Repeat(">", depth) + " ")
			}
		}
		soft := strings.HasSuffix(content, " ") && content != "-- "
		if soft && delsp {
			content = content[:len(content)-1]
		}
		out.WriteString(content)
		prevSoft, prevDepth = soft, depth
	}
	return out.String()
}
