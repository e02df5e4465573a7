package parse

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestHostileInputsStayFast feeds inputs built to trigger quadratic work or deep recursion.
func TestHostileInputsStayFast(t *testing.T) {
	nested := func(depth int) string {
		var b strings.Builder
		b.WriteString("From: a@example.com\nContent-Type: multipart/mixed; boundary=b0\n\n")
		for i := 0; i < depth; i++ {
			fmt.Fprintf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i+1)
		}
		b.WriteString("--b" + fmt.Sprint(depth) + "\nContent-Type: text/plain\n\ndeep\n")
		return b.String()
	}
	tests := []struct {
		name string
		raw  string
	}{
		{"unterminated encoded words", "Subject: " + strings.Repeat("=?utf-8?q?a", 100000) + "\n\nx"},
		{"many folded lines", "Subject: a" + strings.Repeat("\n b", 200000) + "\n\nx"},
		{"many unindented continuations", "Received: a\n" + strings.Repeat("junk line\n", 100000) + "From: a@example.com\n\nx"},
		{"many colons in an address", "From: " + strings.Repeat("a:", 200000) + "\n\nx"},
		{"many quote lines after blanks", "From: a@example.com\n\n" + strings.Repeat("\n", 50000) + strings.Repeat("> q\n", 50000)},
		{"many parameters", "Content-Type: text/plain" + strings.Repeat("; a*1*=x", 100000) + "\n\nx"},
		{"deep multipart nesting", nested(2000)},
		{"huge html", "Content-Type: text/html\n\n" + strings.Repeat("<div><b>x</b>", 100000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			m, err := Parse([]byte(tt.raw))
			if err != nil || m == nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Parse took %v", d)
			}
			if strings.HasPrefix(tt.name, "deep") && !keptSomewhere(m, "deep") {
				t.Error("the innermost part was lost")
			}
		})
	}
}

// keptSomewhere reports whether s is in the body text or in an attachment.
func keptSomewhere(m *Message, s string) bool {
	if strings.Contains(m.Text, s) {
		return true
	}
	for _, a := range m.Attachments {
		if strings.Contains(string(a.Data), s) {
			return true
		}
	}
	return false
}
