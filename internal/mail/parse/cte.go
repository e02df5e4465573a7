package parse

import (
	"bytes"
	"fmt"
	"strings"
)

// decodeTransfer undoes a Content-Transfer-Encoding. It is lenient: base64 with garbage or
// missing padding and quoted-printable with bad escapes are decoded as far as possible, and the
// problem is returned for the defect list. Unknown encodings leave the bytes unchanged.
func decodeTransfer(cte string, b []byte) ([]byte, string) {
	enc := strings.ToLower(strings.TrimSpace(cte))
	if i := strings.IndexAny(enc, "; \t("); i >= 0 {
		enc = enc[:i]
	}
	enc = strings.Trim(enc, "\"'")
	switch enc {
	case "", "7bit", "8bit", "binary", "7-bit", "8-bit", "none":
		return b, ""
	case "base64", "base-64":
		if !looksBase64(b) {
			return b, "declared base64 but content is not base64; kept as is"
		}
		out, bad := decodeBase64(b)
		if bad > 0 {
			return out, fmt.Sprintf("base64: %d invalid characters skipped", bad)
		}
		return out, ""
	case "quoted-printable", "quotedprintable", "qp":
		return decodeQP(b), ""
	}
	return b, "unknown Content-Transfer-Encoding " + quote(cte) + "; content kept undecoded"
}

// looksBase64 reports whether data can be base64 at all: base64 lines are one word (perhaps with
// trailing junk), so text where most lines are three or more words is prose, not base64,
// whatever the header says.
func looksBase64(b []byte) bool {
	lines, spaced := 0, 0
	for _, l := range splitLines(b) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		lines++
		if len(bytes.Fields(l)) >= 3 {
			spaced++
		}
	}
	return lines == 0 || spaced*2 <= lines
}

var b64Values = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(b64Alphabet); i++ {
		t[b64Alphabet[i]] = int8(i)
	}
	return t
}()

// decodeBase64 decodes base64 leniently: whitespace is skipped, other foreign characters are
// skipped and counted, padding may be missing, and padding in the middle (concatenated base64
// blocks) restarts decoding.
func decodeBase64(b []byte) ([]byte, int) {
	out := make([]byte, 0, len(b)*3/4)
	var (
		quantum uint32
		n       int
		bad     int
	)
	flush := func() {
		switch n {
		case 2:
			out = append(out, byte(quantum>>4))
		case 3:
			out = append(out, byte(quantum>>10), byte(quantum>>2))
		}
		quantum, n = 0, 0
	}
	for _, c := range b {
		switch v := b64Values[c]; {
		case v >= 0:
			quantum = quantum<<6 | uint32(v)
			n++
			if n == 4 {
				out = append(out, byte(quantum>>16), byte(quantum>>8), byte(quantum))
				quantum, n = 0, 0
			}
		case c == '=':
			flush()
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			bad++
		}
	}
	flush()
	return out, bad
}

// decodeQP decodes quoted-printable leniently: soft line breaks (also with trailing blanks after
// the "="), =XX in either case, and a literal "=" where no valid escape follows. Trailing blanks
// before a line break are removed as RFC 2045 requires.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '=':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j < len(b) && (b[j] == '\n' || b[j] == '\r') {
				if b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n' {
					j++
				}
				i = j // soft line break
				continue
			}
			if j >= len(b) && j > i+1 {
				i = j // "=" plus blanks at the end of the data
				continue
			}
			if i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
				out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
				i += 2
				continue
			}
			if i+1 == len(b) {
				continue // a final soft break without newline
			}
			out = append(out, c)
		case c == ' ' || c == '\t':
			j := i
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			if j == len(b) || b[j] == '\n' || b[j] == '\r' {
				i = j - 1 // drop trailing blanks
				continue
			}
			out = append(out, b[i:j]...)
			i = j - 1
		default:
			out = append(out, c)
		}
	}
	return out
}
