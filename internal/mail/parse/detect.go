package parse

import (
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// multibyteCandidate describes one East Asian double-byte charset for [guessMultibyte]: how to
// split bytes into characters, and which characters are common in ordinary text.
type multibyteCandidate struct {
	name   string
	family string
	enc    encoding.Encoding
	// scan returns the length of the character at b[0] (0 if invalid) and whether it is common.
	scan func(b []byte) (n int, common bool)
}

var multibyteCandidates = []multibyteCandidate{
	{"gb18030", "gb", simplifiedchinese.GB18030, scanGB},
	{"shift_jis", "jp", japanese.ShiftJIS, scanShiftJIS},
	{"euc-jp", "jp", japanese.EUCJP, scanEUCJP},
	{"euc-kr", "kr", korean.EUCKR, scanEUCKR},
	{"big5", "tw", traditionalchinese.Big5, scanBig5},
}

// guessMultibyte decides whether 8-bit bytes that are not UTF-8 read as text in one of the East
// Asian double-byte charsets. A candidate must split every 8-bit byte into a valid character
// and at least 80 % of those characters must be common ones (main ideograph, kana or hangul
// rows, not user-defined or rarely used areas); Western 8-bit text, where accented letters sit
// alone between ASCII letters, fails this. Among passing candidates the charset family
// declared elsewhere in the message (hint) wins, then the highest share of common characters.
func guessMultibyte(b []byte, hint string) (string, string, bool) {
	best, bestScore := -1, 0.0
	for i, c := range multibyteCandidates {
		total, common, inRun, ok := scoreMultibyte(b, c.scan)
		if !ok || total == 0 || inRun*2 < total {
			continue
		}
		score := float64(common) / float64(total)
		if score < 0.8 {
			continue
		}
		if hint != "" && c.family == hint {
			score += 1
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return "", "", false
	}
	c := multibyteCandidates[best]
	out, err := c.enc.NewDecoder().Bytes(b)
	if err != nil || !utf8.Valid(out) {
		return "", "", false
	}
	return string(out), c.name, true
}

// scoreMultibyte splits b into characters with scan. It counts the non-ASCII characters, the
// common ones, and those that touch another non-ASCII character (East Asian text comes in runs;
// Western 8-bit letters sit alone between ASCII letters).
func scoreMultibyte(b []byte, scan func([]byte) (int, bool)) (total, common, inRun int, ok bool) {
	prevEnd := -1
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		n, isCommon := scan(b[i:])
		if n == 0 {
			return 0, 0, 0, false
		}
		total++
		if isCommon {
			common++
		}
		if prevEnd == i || (i+n < len(b) && b[i+n] >= 0x80) {
			inRun++
		}
		prevEnd = i + n
		i += n
	}
	return total, common, inRun, true
}

func in(c, lo, hi byte) bool { return c >= lo && c <= hi }

// scanGB: GBK double bytes and GB18030 four-byte sequences; common = GB2312 symbols (rows 1-3,
// 6-9) and hanzi (rows 16-87).
func scanGB(b []byte) (int, bool) {
	if !in(b[0], 0x81, 0xFE) || len(b) < 2 {
		return 0, false
	}
	if in(b[1], 0x30, 0x39) {
		if len(b) >= 4 && in(b[2], 0x81, 0xFE) && in(b[3], 0x30, 0x39) {
			return 4, false
		}
		return 0, false
	}
	if !in(b[1], 0x40, 0xFE) || b[1] == 0x7F {
		return 0, false
	}
	rowOK := in(b[0], 0xA1, 0xA3) || in(b[0], 0xA6, 0xA9) || in(b[0], 0xB0, 0xF7)
	return 2, rowOK && in(b[1], 0xA1, 0xFE)
}

// scanShiftJIS: JIS X 0208 via Shift_JIS plus NEC row 13; half-width katakana are valid but
// uncommon; user-defined lead bytes are invalid.
func scanShiftJIS(b []byte) (int, bool) {
	c := b[0]
	if in(c, 0xA1, 0xDF) {
		return 1, false
	}
	if !(in(c, 0x81, 0x9F) || in(c, 0xE0, 0xEF) || in(c, 0xFA, 0xFC)) || len(b) < 2 {
		return 0, false
	}
	if !(in(b[1], 0x40, 0x7E) || in(b[1], 0x80, 0xFC)) {
		return 0, false
	}
	return 2, in(c, 0x81, 0x84) || c == 0x87 || in(c, 0x88, 0x9F) || in(c, 0xE0, 0xEA)
}

// scanEUCJP: JIS X 0208 in EUC; common = symbols, kana and kanji rows.
func scanEUCJP(b []byte) (int, bool) {
	c := b[0]
	switch {
	case c == 0x8E:
		if len(b) >= 2 && in(b[1], 0xA1, 0xDF) {
			return 2, false
		}
		return 0, false
	case c == 0x8F:
		if len(b) >= 3 && in(b[1], 0xA1, 0xFE) && in(b[2], 0xA1, 0xFE) {
			return 3, false
		}
		return 0, false
	case in(c, 0xA1, 0xFE) && len(b) >= 2 && in(b[1], 0xA1, 0xFE):
		return 2, in(c, 0xA1, 0xA5) || c == 0xAD || in(c, 0xB0, 0xF4)
	}
	return 0, false
}

// scanEUCKR: KS X 1001 in EUC plus the UHC extension; common = symbols and hangul rows.
func scanEUCKR(b []byte) (int, bool) {
	c := b[0]
	if !in(c, 0x81, 0xFE) || len(b) < 2 {
		return 0, false
	}
	t := b[1]
	if in(c, 0xA1, 0xFE) && in(t, 0xA1, 0xFE) {
		return 2, in(c, 0xA1, 0xA3) || in(c, 0xB0, 0xC8)
	}
	if in(t, 0x41, 0x5A) || in(t, 0x61, 0x7A) || in(t, 0x81, 0xFE) {
		return 2, false
	}
	return 0, false
}

// scanBig5: Big5 double bytes; common = symbols and frequently used hanzi (A440-C67E).
func scanBig5(b []byte) (int, bool) {
	c := b[0]
	if !in(c, 0xA1, 0xF9) || len(b) < 2 {
		return 0, false
	}
	if !(in(b[1], 0x40, 0x7E) || in(b[1], 0xA1, 0xFE)) {
		return 0, false
	}
	return 2, in(c, 0xA1, 0xA3) || in(c, 0xA4, 0xC6)
}
