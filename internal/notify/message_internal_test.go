package notify

import (
	"mime"
	"strings"
	"testing"
)

// TestEncodeHeader: ASCII stays as is; anything else becomes encoded words of at most 75
// characters, one per folded line (RFC 2047 §2), decoding back to the original.
func TestEncodeHeader(t *testing.T) {
	if got := encodeHeader("[OPS-1] Plain subject"); got != "[OPS-1] Plain subject" {
		t.Errorf("ASCII subject = %q", got)
	}
	long := "[OPS-1042] L'export vers la comptabilité échoue depuis la mise à jour — « urgent » — " + strings.Repeat("é", 80)
	enc := encodeHeader(long)
	for i, line := range strings.Split(enc, "\r\n") {
		if len(strings.TrimPrefix(line, " ")) > 75 {
			t.Errorf("line %d is %d characters: %q", i, len(line), line)
		}
	}
	dec, err := new(mime.WordDecoder).DecodeHeader(strings.ReplaceAll(enc, "\r\n", ""))
	if err != nil || dec != long {
		t.Errorf("decoded = %q, %v", dec, err)
	}
}
