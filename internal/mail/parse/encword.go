package parse

import (
	"strings"
)

// encodedWord is one RFC 2047 encoded word found in a header value.
type encodedWord struct {
	start, end int // byte offsets of "=?" and just past "?="
	charset    string
	data       []byte // transfer-decoded bytes, still in charset
}

// decodeHeaderText decodes an unstructured header value: RFC 2047 encoded words (adjacent words
// of the same charset are joined before charset decoding, so a character split across two
// words survives), and raw 8-bit bytes outside encoded words (UTF-8, or a plausible East Asian
// charset, else U+FFFD). Whitespace between adjacent encoded words is dropped as RFC 2047 says.
func (st *state) decodeHeaderText(field, v string) string {
	if !strings.Contains(v, "=?") {
		return st.decodeRaw(field, v)
	}
	var (
		out     strings.Builder
		pending []encodedWord // run of adjacent encoded words
		last    int           // end of the text already written or pending
	)
	flush := func() {
		for i := 0; i < len(pending); {
			j := i
			var data []byte
			for ; j < len(pending) && strings.EqualFold(pending[j].charset, pending[i].charset); j++ {
				data = append(data, pending[j].data...)
			}
			s, problem := decodeCharset(data, pending[i].charset, st.hint)
			if problem != "" {
				st.defect("%s: encoded word: %s", field, problem)
			}
			out.WriteString(s)
			i = j
		}
		pending = pending[:0]
	}
	for i := 0; i < len(v); {
		k := strings.Index(v[i:], "=?")
		if k < 0 {
			break
		}
		w, ok := parseEncodedWord(v, i+k)
		if !ok {
			i += k + 2
			continue
		}
		between := v[last:w.start]
		if len(pending) > 0 && strings.TrimLeft(between, " \t\r\n") == "" {
			pending = append(pending, w) // whitespace between encoded words is not text
		} else {
			flush()
			out.WriteString(st.decodeRaw(field, between))
			pending = append(pending, w)
		}
		last, i = w.end, w.end
	}
	flush()
	out.WriteString(st.decodeRaw(field, v[last:]))
	return out.String()
}

// decodeRaw returns header text that holds no encoded word as UTF-8.
func (st *state) decodeRaw(field, v string) string {
	if isASCII([]byte(v)) {
		return v
	}
	s, problem := decodeUnlabelled([]byte(v), st.hint)
	if problem != "" {
		st.defect("%s: raw 8-bit header: %s", field, problem)
	}
	return s
}

// maxEncodedWord bounds the encoded text of one word; RFC 2047 allows 75 characters, real
// mailers write longer ones, none this long.
const maxEncodedWord = 4096

// parseEncodedWord reads "=?charset?B|Q?text?=" at v[at:]. It is lenient: the text may contain
// spaces (broken folding) but not the start of another encoded word.
func parseEncodedWord(v string, at int) (encodedWord, bool) {
	rest := v[at+2:]
	q := strings.IndexByte(rest, '?')
	if q <= 0 || q > 64 || strings.ContainsAny(rest[:q], " \t\r\n\"=") {
		return encodedWord{}, false
	}
	charset := rest[:q]
	if len(rest) < q+3 || rest[q+2] != '?' {
		return encodedWord{}, false
	}
	encoding := rest[q+1] | 0x20
	if encoding != 'b' && encoding != 'q' {
		return encodedWord{}, false
	}
	text := rest[q+3:]
	if len(text) > maxEncodedWord {
		text = text[:maxEncodedWord] // bounds the work on headers full of unterminated words
	}
	e := strings.Index(text, "?=")
	if e < 0 {
		return encodedWord{}, false
	}
	if n := strings.Index(text, "=?"); n >= 0 && n+1 < e {
		return encodedWord{}, false
	}
	text = text[:e]
	var data []byte
	if encoding == 'b' {
		data, _ = decodeBase64([]byte(text))
	} else {
		data = decodeQWord(text)
	}
	end := at + 2 + q + 3 + e + 2
	return encodedWord{start: at, end: end, charset: charset, data: data}, true
}

// decodeQWord decodes the "Q" encoding of RFC 2047: underscore is space, =XX is a byte.
func decodeQWord(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
