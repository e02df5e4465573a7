package parse

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// charsetAliases maps labels that mail software uses but that the WHATWG and IANA indexes do not
// know, or map to a narrower encoding than the text actually uses, to a decoder.
var charsetAliases = map[string]encoding.Encoding{
	// GB2312 labels routinely carry GBK text; GB18030 is a superset of both.
	"gb2312": simplifiedchinese.GB18030, "iso-gb2312": simplifiedchinese.GB18030,
	"csgb2312": simplifiedchinese.GB18030, "euc-cn": simplifiedchinese.GB18030,
	"x-euc-cn": simplifiedchinese.GB18030, "gbk": simplifiedchinese.GB18030,
	"x-gbk": simplifiedchinese.GB18030, "cp936": simplifiedchinese.GB18030,
	"ms936": simplifiedchinese.GB18030, "windows-936": simplifiedchinese.GB18030,
	"gb18030": simplifiedchinese.GB18030, "chinese": simplifiedchinese.GB18030,
	// Windows code page 932 is what "Shift_JIS" mail really uses; x/text's decoder is CP932-like.
	"cp932": japanese.ShiftJIS, "ms932": japanese.ShiftJIS, "windows-31j": japanese.ShiftJIS,
	"sjis": japanese.ShiftJIS, "x-sjis": japanese.ShiftJIS, "shift-jis": japanese.ShiftJIS,
	// ISO-2022-JP variants with NEC and IBM extensions (CP50220, CP50221, ...).
	"iso-2022-jp-ms": japanese.ISO2022JP, "cp50220": japanese.ISO2022JP,
	"cp50221": japanese.ISO2022JP, "cp50222": japanese.ISO2022JP,
	"iso-2022-jp-1": japanese.ISO2022JP, "iso-2022-jp-2": japanese.ISO2022JP,
	"iso-2022-jp-3": japanese.ISO2022JP,
	"cp949":         korean.EUCKR, "uhc": korean.EUCKR, "ks_c_5601": korean.EUCKR,
	// RFC 2781: UTF-16 without a byte order mark is big-endian.
	"utf-16":  unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
	"ucs-2":   unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
	"utf-7":   utf7Encoding{},
	"utf7":    utf7Encoding{},
	"x-utf-7": utf7Encoding{},
	// Labels meaning "UTF-8" that the indexes reject.
	"unicode-1-1-utf-8": encoding.Nop, "x-unicode20utf8": encoding.Nop,
	"unicode-2-0-utf-8": encoding.Nop,
}

// lookupCharset returns the decoder for a MIME charset label and whether the label was
// understood. ASCII labels return (nil, true): such text is read as UTF-8, which is what mail
// declared as ASCII but carrying 8-bit bytes most often is.
func lookupCharset(label string) (encoding.Encoding, bool) {
	l := normaliseCharset(label)
	switch l {
	case "":
		return nil, false
	case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "646", "us", "utf-8", "utf8":
		return nil, true
	}
	if e, ok := charsetAliases[l]; ok {
		return e, true
	}
	if strings.Contains(l, "utf-7") {
		return utf7Encoding{}, true
	}
	for _, name := range []string{l, strings.TrimPrefix(l, "x-"), strings.ReplaceAll(l, "_", "-")} {
		if e, err := htmlindex.Get(name); err == nil && e != encoding.Replacement {
			if n, _ := htmlindex.Name(e); n == "utf-8" {
				return nil, true
			}
			return e, true
		}
		if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
			return e, true
		}
		if e, err := ianaindex.IANA.Encoding(name); err == nil && e != nil {
			return e, true
		}
	}
	return nil, false
}

// normaliseCharset lower-cases a label and removes quotes, comments, an RFC 2231 language
// suffix and the common "charset=" duplication.
func normaliseCharset(label string) string {
	l := strings.ToLower(strings.TrimSpace(label))
	l = strings.Trim(l, "\"' ;")
	l = strings.TrimPrefix(l, "charset=")
	l = strings.Trim(l, "\"' ")
	if i := strings.IndexAny(l, "*( "); i >= 0 {
		l = l[:i]
	}
	switch {
	case strings.HasPrefix(l, "iso8859-"), strings.HasPrefix(l, "iso8859_"):
		l = "iso-8859-" + l[len("iso8859-"):]
	case strings.HasPrefix(l, "iso_8859-"):
		l = "iso-8859-" + l[len("iso_8859-"):]
	case strings.HasPrefix(l, "cp125"), strings.HasPrefix(l, "win125"):
		l = "windows-" + strings.TrimLeft(l, "cpwin-")
	}
	return l
}

// charsetFamily groups East Asian charsets so that a declared charset can guide the guess for
// unlabelled 8-bit text of the same message.
func charsetFamily(label string) string {
	l := normaliseCharset(label)
	switch {
	case strings.Contains(l, "gb") || strings.Contains(l, "euc-cn") || l == "cp936" || l == "hz-gb-2312":
		return "gb"
	case strings.Contains(l, "jis") || strings.Contains(l, "2022-jp") || l == "euc-jp" || l == "cp932":
		return "jp"
	case strings.Contains(l, "kr") || strings.Contains(l, "ks_c") || l == "cp949":
		return "kr"
	case strings.Contains(l, "big5") || l == "cp950":
		return "tw"
	}
	return ""
}

// decodeCharset converts text in the named charset to UTF-8. Unknown labels and undeclared
// charsets fall back to [decodeUnlabelled]. The second result describes a problem worth a defect.
func decodeCharset(b []byte, label, hint string) (string, string) {
	enc, known := lookupCharset(label)
	if known && enc == nil && isUTF8Label(label) {
		if utf8.Valid(b) {
			return string(b), ""
		}
		return toValidUTF8(b), "invalid UTF-8 replaced"
	}
	if !known {
		s, problem := decodeUnlabelled(b, hint)
		if label != "" {
			p := "unknown charset " + quote(label)
			if problem != "" {
				p += "; " + problem
			}
			return s, p
		}
		return s, problem
	}
	if enc == nil {
		return decodeUnlabelled(b, hint)
	}
	if isASCII(b) && !asciiNeedsDecoding(label) {
		return string(b), ""
	}
	if _, single := enc.(*charmap.Charmap); single && utf8.Valid(b) && hasMultibyteUTF8(b) && !hasC1(b) {
		return string(b), "declared charset " + quote(label) + " but text is UTF-8"
	}
	if _, ok := enc.(utf7Encoding); ok {
		return decodeUTF7(b), ""
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		s, problem := decodeUnlabelled(b, hint)
		return s, "cannot decode as " + quote(label) + ": " + err.Error() + suffix(problem)
	}
	if bad := bytes.Count(out, []byte("\uFFFD")) - bytes.Count(b, []byte("\uFFFD")); bad > 0 {
		// The bytes do not fit the label (UTF-8 or Shift_JIS labelled ISO-2022-JP, ...): read
		// them as unlabelled text when that loses less.
		family := charsetFamily(label)
		if family == "" {
			family = hint
		}
		alt, problem := decodeUnlabelled(b, family)
		if strings.Count(alt, "\uFFFD")-bytes.Count(b, []byte("\uFFFD")) < bad {
			return alt, "declared charset " + quote(label) + " does not fit the text" + suffix(problem)
		}
		return string(out), "text does not fit declared charset " + quote(label) + "; invalid bytes replaced"
	}
	return string(out), ""
}

// decodeUnlabelled reads text whose charset is not declared or not known: UTF-8 when valid,
// else a plausible East Asian double-byte charset, else UTF-8 with U+FFFD for invalid bytes.
func decodeUnlabelled(b []byte, hint string) (string, string) {
	if utf8.Valid(b) {
		return string(b), ""
	}
	if s, cs, ok := guessMultibyte(b, hint); ok {
		return s, "undeclared 8-bit text read as " + cs
	}
	return toValidUTF8(b), "8-bit text is not UTF-8; invalid bytes replaced"
}

// asciiNeedsDecoding reports whether pure 7-bit bytes in this charset are not simply ASCII:
// stateful 7-bit encodings (ISO-2022, UTF-7) and UTF-16/32, whose NUL bytes are 7-bit too.
func asciiNeedsDecoding(label string) bool {
	l := normaliseCharset(label)
	for _, s := range []string{"2022", "utf-7", "utf7", "utf-16", "utf-32", "ucs", "unicode"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// isUTF8Label reports whether a label names UTF-8 itself (not ASCII).
func isUTF8Label(label string) bool {
	switch normaliseCharset(label) {
	case "utf-8", "utf8":
		return true
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// hasC1 reports whether UTF-8 text holds C1 control characters, which real text never does.
func hasC1(b []byte) bool {
	for _, r := range string(b) {
		if r >= 0x80 && r <= 0x9F {
			return true
		}
	}
	return false
}

func hasMultibyteUTF8(b []byte) bool {
	for _, c := range b {
		if c >= 0xC2 {
			return true
		}
	}
	return false
}

func quote(s string) string { return "\"" + strings.ToValidUTF8(s, "\uFFFD") + "\"" }

func suffix(problem string) string {
	if problem == "" {
		return ""
	}
	return "; " + problem
}

// toValidUTF8 replaces every byte that is not part of a valid UTF-8 sequence with U+FFFD, one
// replacement per byte as Python and WHATWG decoders do.
func toValidUTF8(b []byte) string {
	var out strings.Builder
	out.Grow(len(b) + 8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out.WriteString("\uFFFD")
		} else {
			out.Write(b[:size])
		}
		b = b[size:]
	}
	return out.String()
}
