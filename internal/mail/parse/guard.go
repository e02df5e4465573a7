package parse

import (
	"bytes"
	"strings"
)

// maxMIMEDepth is the deepest multipart nesting handed to enmime. Real mail stays under ten
// levels; enmime's nested boundary readers cost quadratic time in the depth when the structure
// is closed and exponential time when it is not.
const maxMIMEDepth = 24

// guardStructure prepares a multipart body for enmime by following its boundaries line by
// line, as enmime will. Multiparts nested deeper than maxMIMEDepth are turned into single
// opaque parts (kept whole as an attachment), and multiparts the message never closes get
// their closing delimiters appended at the end. Both are reported as defects. The body is
// returned unchanged, without copying, when neither applies.
func (st *state) guardStructure(boundary string, body []byte) []byte {
	if boundary == "" {
		return body
	}
	lines := splitLines(body)
	stack := []string{boundary}
	replace := map[int][]byte{} // line index -> replacement
	entered := false            // the top boundary delimits at least one part
	for k := 0; k < len(lines); k++ {
		line := trimEOL(lines[k])
		if !bytes.HasPrefix(line, []byte("--")) {
			continue
		}
		level, closing := delimiterLevel(line, stack)
		switch {
		case level < 0:
			continue
		case closing:
			stack = stack[:level]
			continue
		}
		stack = stack[:level+1]
		entered = true
		// A part starts: read its header to see whether it is a multipart itself.
		start := k + 1
		end := start
		for end < len(lines) && !isBlank(lines[end]) {
			end++
		}
		first, last, ctype := contentTypeField(lines[start:end])
		mt, params, _, _ := parseMediaType(ctype)
		if strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" {
			if len(stack) >= maxMIMEDepth {
				replace[start+first] = []byte("Content-Type: application/octet-stream; x-opsdesk=too-deeply-nested\r\n")
				for j := start + first + 1; j <= start+last; j++ {
					replace[j] = nil
				}
				st.defect("mime: multipart nested deeper than %d levels kept as one part", maxMIMEDepth)
			} else {
				stack = append(stack, params["boundary"])
			}
		}
		k = end
	}
	if !entered {
		stack = nil // nothing to close: enmime finds no part, the caller reads the body as text
	}
	if len(replace) == 0 && len(stack) == 0 {
		return body
	}
	var out bytes.Buffer
	out.Grow(len(body) + 80*len(stack))
	for k, l := range lines {
		if r, ok := replace[k]; ok {
			out.Write(r)
			continue
		}
		out.Write(l)
	}
	if len(stack) > 0 {
		st.defect("mime: %d multipart levels not closed; closing delimiters added", len(stack))
		for i := len(stack) - 1; i >= 0; i-- {
			out.WriteString("\r\n--" + stack[i] + "--\r\n")
		}
	}
	return out.Bytes()
}

// delimiterLevel finds the innermost open boundary that line delimits ("--b") or closes
// ("--b--"), the way enmime recognises them; -1 if none.
func delimiterLevel(line []byte, stack []string) (level int, closing bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		rest, ok := bytes.CutPrefix(line, []byte("--"+stack[i]))
		if !ok {
			continue
		}
		if bytes.HasPrefix(rest, []byte("--")) {
			return i, true
		}
		if len(bytes.TrimSpace(rest)) == 0 {
			return i, false
		}
	}
	return -1, false
}

// contentTypeField returns the first and last line index of the Content-Type field in a part
// header and its unfolded value; first is -1 when there is none.
func contentTypeField(lines [][]byte) (first, last int, value string) {
	first = -1
	for i, l := range lines {
		switch {
		case first >= 0 && len(l) > 0 && (l[0] == ' ' || l[0] == '\t'):
			last = i
			value += " " + string(bytes.TrimSpace(l))
		case first >= 0:
			return first, last, value
		case strings.EqualFold(fieldName(l), "Content-Type"):
			first, last = i, i
			value = string(bytes.TrimSpace(l[bytes.IndexByte(l, ':')+1:]))
		}
	}
	return first, last, value
}
