package parse

import (
	"bytes"
	"io"
	"net/textproto"
	"regexp"
	"strings"

	"github.com/jhillyerd/enmime/v2"
)

// node is one MIME entity of the message, with its headers interpreted. Leaves keep their
// content still transfer-encoded; multiparts have children.
type node struct {
	id       string // enmime part id ("0", "1", "1.2", ...), for defects
	ctype    string // lower-case media type; "" when the part declares none
	params   map[string]string
	disp     string // lower-case disposition type, "" when absent
	dparams  map[string]string
	cte      string
	cid      string // Content-ID without angle brackets
	name     string // decoded file name (set by fillBody)
	header   textproto.MIMEHeader
	raw      []byte
	children []*node
}

func (n *node) multipart() bool { return strings.HasPrefix(n.ctype, "multipart/") }

// mimeParser reads MIME structure only: transfer and charset decoding are left to this package
// (RawContent), malformed parts are skipped rather than failing the message, and a multipart
// without boundary is read as a single part.
var mimeParser = enmime.NewParser(
	enmime.SkipMalformedParts(true),
	enmime.MultipartWOBoundaryAsSinglePart(true),
	enmime.RawContent(true),
	enmime.SetCustomParseMediaType(parseMediaType),
	enmime.DisableCharacterDetection(true),
	enmime.DisableTextConversion(true),
	enmime.MaxStoredPartErrors(50),
)

var boundaryLine = regexp.MustCompile(`(?m)^--(-*[^\s-]\S{0,69})[ \t]*\r?$`)

// readTree parses the MIME structure of the body under the (already repaired) top-level
// header. Only the content fields of the top-level header are handed to enmime.
func (st *state) readTree(h header, body []byte) *node {
	var top bytes.Buffer
	ctype := h.get("Content-Type")
	mt, params, _, _ := parseMediaType(ctype)
	switch b := params["boundary"]; {
	case strings.HasPrefix(mt, "multipart/") && (b == "" || !hasBoundaryLine(body, b)):
		// No boundary, or one the body never uses: take the first delimiter-like line.
		if m := boundaryLine.FindSubmatch(body); m != nil && string(m[1]) != b &&
			bytes.Count(body, append([]byte("--"), m[1]...)) >= 2 {
			ctype = mt + `; boundary="` + strings.ReplaceAll(string(m[1]), `"`, `\"`) + `"`
			st.defect("Content-Type: multipart boundary %s not in the body; using %s found there", quote(b), quote(string(m[1])))
		}
	case !strings.HasPrefix(mt, "multipart/") && b != "" && hasBoundaryLine(body, b):
		ctype = `multipart/mixed; boundary="` + strings.ReplaceAll(b, `"`, `\"`) + `"`
		st.defect("Content-Type: %s with a boundary that splits the body; read as multipart/mixed", mt)
	}
	for _, f := range h {
		switch strings.ToLower(f.name) {
		case "content-type":
			f.value = ctype
		case "content-transfer-encoding", "content-disposition", "content-id", "mime-version":
		default:
			continue
		}
		top.WriteString(f.name + ": " + strings.NewReplacer("\r", " ", "\n", " ").Replace(f.value) + "\r\n")
	}
	top.WriteString("\r\n")
	guarded := body
	if mt, params, _, _ := parseMediaType(ctype); strings.HasPrefix(mt, "multipart/") {
		guarded = st.guardStructure(params["boundary"], body)
	}
	// plain is the whole body as one text part, when the structure cannot be read.
	plain := func() *node {
		return &node{id: "0", ctype: "text/plain", raw: body, header: textproto.MIMEHeader{},
			params: map[string]string{"charset": params["charset"]}, cte: h.get("Content-Transfer-Encoding")}
	}
	root, err := mimeParser.ReadParts(io.MultiReader(&top, bytes.NewReader(guarded)))
	if err != nil {
		st.defect("mime: %v; body read as plain text", err)
		return plain()
	}
	n := st.convert(root)
	if n.multipart() && len(n.children) == 0 {
		st.defect("mime: multipart body without any part; body read as plain text")
		return plain()
	}
	return n
}

// hasBoundaryLine reports whether body contains a line "--boundary".
func hasBoundaryLine(body []byte, boundary string) bool {
	delim := []byte("--" + boundary)
	return bytes.HasPrefix(body, delim) || bytes.Contains(body, append([]byte("\n"), delim...))
}

// convert turns an enmime part tree into nodes, collecting enmime's errors as defects.
func (st *state) convert(p *enmime.Part) *node {
	n := &node{id: p.PartID, header: p.Header, raw: p.Content}
	for _, e := range p.Errors {
		st.defect("mime part %s: %s", p.PartID, strings.ToValidUTF8(e.Error(), "\uFFFD"))
	}
	hdr := textproto.MIMEHeader(p.Header)
	n.ctype, n.params, _, _ = parseMediaType(hdr.Get("Content-Type"))
	n.disp, n.dparams, _, _ = parseMediaType(hdr.Get("Content-Disposition"))
	n.cte = hdr.Get("Content-Transfer-Encoding")
	n.cid = strings.Trim(strings.TrimSpace(hdr.Get("Content-Id")), "<>")
	if n.multipart() && p.FirstChild == nil && len(p.Content) > 0 {
		// A multipart enmime could not split (no usable boundary) is kept as text.
		st.defect("mime part %s: %s without parts read as plain text", p.PartID, n.ctype)
		n.ctype = "text/plain"
	}
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		child := st.convert(c)
		if child.ctype == "" && n.ctype == "multipart/digest" {
			child.ctype = "message/rfc822" // RFC 2046 5.1.5 default
		}
		n.children = append(n.children, child)
	}
	return n
}

// walk calls fn for n and every node below it, depth first.
func (n *node) walk(fn func(*node)) {
	fn(n)
	for _, c := range n.children {
		c.walk(fn)
	}
}

var encodedWordCharset = regexp.MustCompile(`=\?([^?\s]+)\?[bBqQ]\?`)

// charsetHint returns the East Asian charset family the message declares first, in its parts or
// in encoded words of its header; undeclared 8-bit header text is most likely in that family.
func charsetHint(h header, root *node) string {
	hint := ""
	root.walk(func(n *node) {
		if hint == "" {
			hint = charsetFamily(n.params["charset"])
		}
	})
	for _, f := range h {
		for _, m := range encodedWordCharset.FindAllStringSubmatch(f.value, -1) {
			if hint == "" {
				hint = charsetFamily(m[1])
			}
		}
	}
	return hint
}
