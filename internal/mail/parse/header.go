package parse

import (
	"bytes"
	"strings"
)

// field is one header field: its name as written and its unfolded raw value (line breaks of
// folding removed, bytes not yet decoded).
type field struct {
	name, value string
}

// header is the ordered list of fields of a message or part.
type header []field

// get returns the first value of the named field, or "".
func (h header) get(name string) string {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// has reports whether the named field is present.
func (h header) has(name string) bool {
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			return true
		}
	}
	return false
}

// all returns every value of the named field in order.
func (h header) all(name string) []string {
	var out []string
	for _, f := range h {
		if strings.EqualFold(f.name, name) {
			out = append(out, f.value)
		}
	}
	return out
}

// splitLines splits b after each "\n", keeping terminators.
func splitLines(b []byte) [][]byte {
	lines := make([][]byte, 0, bytes.Count(b, []byte{'\n'})+1)
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, b)
			break
		}
		lines = append(lines, b[:i+1])
		b = b[i+1:]
	}
	return lines
}

// fieldName returns the name of a header line "Name: value" (blanks before the colon allowed),
// or "" if the line is not a header field.
func fieldName(line []byte) string {
	colon := bytes.IndexByte(line, ':')
	if colon <= 0 {
		return ""
	}
	name := bytes.TrimRight(line[:colon], " \t")
	if len(name) == 0 {
		return ""
	}
	for _, c := range name {
		if c <= ' ' || c > '~' {
			return ""
		}
	}
	return string(name)
}

func trimEOL(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte{'\n'})
	return bytes.TrimSuffix(line, []byte{'\r'})
}

func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// readHeader splits a message into its header fields and body. It repairs what real mail gets
// wrong and reports each repair as a defect: an mbox "From " line (its sender is returned),
// leading non-header lines, continuation lines without leading whitespace (kept as part of the
// previous field when more header fields follow), and a missing blank line before the body.
func (st *state) readHeader(raw []byte) (h header, body []byte, envelopeFrom string) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	lines := splitLines(raw)
	i := 0
	for i < len(lines) && isBlank(lines[i]) && i < 8 {
		i++
	}
	if i > 0 && i < len(lines) && fieldName(lines[i]) != "" {
		st.defect("header: %d blank lines before the first header field skipped", i)
	} else {
		i = 0
	}
	if i < len(lines) && isMboxFromLine(lines[i]) {
		if f := strings.Fields(string(trimEOL(lines[i]))); len(f) > 1 {
			envelopeFrom = f[1]
		}
		i++
	}
	// The header ends at the first empty line. A line of blanks ends it too, unless more header
	// lines follow (obsolete folding, RFC 5322 4.2).
	end := len(lines)
	for k := i; k < len(lines); k++ {
		if isBlank(lines[k]) {
			if len(trimEOL(lines[k])) > 0 && k+1 < len(lines) && !isBlank(lines[k+1]) &&
				(fieldName(lines[k+1]) != "" || lines[k+1][0] == ' ' || lines[k+1][0] == '\t') {
				continue
			}
			end = k
			break
		}
	}
	// fieldAhead[k-i] reports whether a header field line appears at or after line k.
	fieldAhead := make([]bool, end-i+1)
	for k := end - 1; k >= i; k-- {
		fieldAhead[k-i] = fieldAhead[k-i+1] || (fieldName(lines[k]) != "" && lines[k][0] != ' ' && lines[k][0] != '\t')
	}
	var parts [][]byte // the unfolded value of each field, built in place
	add := func(name string, line []byte) {
		h = append(h, field{name: name})
		parts = append(parts, append([]byte(nil), line[bytes.IndexByte(line, ':')+1:]...))
	}
	for k := i; k < end; k++ {
		line := trimEOL(lines[k])
		if isBlank(line) {
			continue // blank folding line
		}
		switch {
		case (line[0] == ' ' || line[0] == '\t') && len(h) == 0:
			trimmed := bytes.TrimLeft(line, " \t")
			if name := fieldName(trimmed); name != "" {
				st.defect("header %s: first field indented", name)
				add(name, trimmed)
				continue
			}
			st.defect("header: indented line before the first field skipped: %s", quote(string(line)))
		case line[0] == ' ' || line[0] == '\t':
			parts[len(parts)-1] = append(parts[len(parts)-1], line...)
		case fieldName(line) != "":
			add(fieldName(line), line)
		case bytes.IndexByte(line, ':') > 0 && k+1 < end && (lines[k+1][0] == ' ' || lines[k+1][0] == '\t'):
			// "Bad Name: value" followed by folded lines: a field with an invalid name.
			name := strings.ToValidUTF8(string(bytes.TrimSpace(line[:bytes.IndexByte(line, ':')])), "\uFFFD")
			st.defect("header: invalid field name %s", quote(name))
			add(name, line)
		case !fieldAhead[k-i+1]:
			st.defect("header: no blank line between header and body")
			return finishFields(h, parts), raw[offset(lines, k):], envelopeFrom
		case len(h) == 0:
			st.defect("header: line that is not a header field skipped: %s", quote(string(line)))
		default:
			st.defect("header %s: continuation line not indented", h[len(h)-1].name)
			parts[len(parts)-1] = append(append(parts[len(parts)-1], ' '), line...)
		}
	}
	if end < len(lines) {
		body = raw[offset(lines, end+1):]
	}
	return finishFields(h, parts), body, envelopeFrom
}

// isMboxFromLine reports whether line is an mbox separator ("From sender date"), not a
// "From:" header field written with a blank before the colon.
func isMboxFromLine(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("From ")) {
		return false
	}
	return !bytes.HasPrefix(bytes.TrimLeft(line[4:], " \t"), []byte(":"))
}

// offset returns the byte offset of lines[k] in the buffer the lines were split from.
func offset(lines [][]byte, k int) int {
	n := 0
	for _, l := range lines[:k] {
		n += len(l)
	}
	return n
}

// finishFields sets each field's value from its unfolded bytes, trimmed.
func finishFields(h header, parts [][]byte) header {
	for i := range h {
		h[i].value = string(bytes.TrimSpace(parts[i]))
	}
	return h
}
