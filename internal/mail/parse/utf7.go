package parse

import (
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding"
)

// utf7Encoding marks the UTF-7 charset (RFC 2152), which x/text does not provide. It is decoded by
// [decodeUTF7]; its Encoding methods only exist so that it fits the charset table.
type utf7Encoding struct{}

// NewDecoder is not used for decoding (see decodeUTF7); it returns a pass-through decoder.
func (utf7Encoding) NewDecoder() *encoding.Decoder { return encoding.Nop.NewDecoder() }

// NewEncoder returns a pass-through encoder; the package never encodes UTF-7.
func (utf7Encoding) NewEncoder() *encoding.Encoder { return encoding.Nop.NewEncoder() }

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// decodeUTF7 decodes RFC 2152 UTF-7. Bytes that are not valid UTF-7 are kept as they are.
func decodeUTF7(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '+' {
			out.WriteByte(c)
			continue
		}
		if i+1 < len(b) && b[i+1] == '-' {
			out.WriteByte('+')
			i++
			continue
		}
		var (
			bits  uint32
			nbits uint
			units []uint16
			j     = i + 1
		)
		for ; j < len(b); j++ {
			v := strings.IndexByte(b64Alphabet, b[j])
			if v < 0 {
				break
			}
			bits = bits<<6 | uint32(v)
			nbits += 6
			if nbits >= 16 {
				nbits -= 16
				units = append(units, uint16(bits>>nbits))
				bits &= 1<<nbits - 1
			}
		}
		out.WriteString(string(utf16.Decode(units)))
		if j < len(b) && b[j] == '-' {
			j++ // the optional terminator is absorbed
		}
		i = j - 1
	}
	return strings.ToValidUTF8(out.String(), "\uFFFD")
}
