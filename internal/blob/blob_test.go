package blob

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPutOpen(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 100)...)
	tests := []struct {
		name, content, want string
	}{
		{"report.pdf", "%PDF-1.7 ...", "application/pdf"},
		{"shot.png", string(png), "image/png"},
		{"evil.png", "<html><script>alert(1)</script></html>", "text/html; charset=utf-8"},
		{"data.csv", "a,b\n1,2\n", "text/csv; charset=utf-8"},
		{"page.html", "plain words", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		st, err := s.Put(strings.NewReader(tt.content), 0, tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if st.ContentType != tt.want || st.Size != int64(len(tt.content)) || len(st.SHA256) != 64 {
			t.Errorf("%s: %+v, want type %s", tt.name, st, tt.want)
		}
		f, err := s.Open(st.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if string(b) != tt.content {
			t.Errorf("%s: read back %q", tt.name, b)
		}
	}
	again, _ := s.Put(strings.NewReader("%PDF-1.7 ..."), 0, "copy.pdf")
	first, _ := s.Put(strings.NewReader("%PDF-1.7 ..."), 0, "report.pdf")
	if again.SHA256 != first.SHA256 {
		t.Error("same content, different digests")
	}
	if _, err := s.Put(strings.NewReader("0123456789"), 9, "x"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over limit: %v", err)
	}
	if _, err := s.Put(strings.NewReader("012345678"), 9, "x"); err != nil {
		t.Errorf("at limit: %v", err)
	}
	if _, err := s.Open("../../etc/passwd"); err == nil {
		t.Error("Open accepted a path")
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".upload-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
