// Package blob keeps the content of attachments and raw mails as files under the data
// directory, addressed by their SHA-256: the same file stored twice takes the space once, and a
// database row only ever names content that is already safely on disk (written to a temporary
// file, synced, then renamed into place).
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Store is a directory of content-addressed files.
type Store struct {
	dir string
}

// ErrTooLarge is returned by Put when the content exceeds the limit.
var ErrTooLarge = errors.New("content exceeds the size limit")

// Open returns the store rooted at dir, creating it if needed.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", dir, err)
	}
	return &Store{dir: dir}, nil
}

// Stored describes content written by Put.
type Stored struct {
	SHA256      string
	Size        int64
	ContentType string // sniffed from the first bytes (and the name for text types it cannot tell)
}

// Put writes r's content (at most limit bytes; 0 means no limit) and returns its digest, size
// and sniffed type. name helps only to refine a generic sniff (e.g. text/plain for a .csv).
func (s *Store) Put(r io.Reader, limit int64, name string) (Stored, error) {
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return Stored{}, fmt.Errorf("blob put: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this is a no-op
	defer tmp.Close()
	h := sha256.New()
	head := &headWriter{max: 512}
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), src)
	if err != nil {
		return Stored{}, fmt.Errorf("blob put: %w", err)
	}
	if limit > 0 && n > limit {
		return Stored{}, ErrTooLarge
	}
	if err := tmp.Sync(); err != nil {
		return Stored{}, fmt.Errorf("blob put: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return Stored{}, fmt.Errorf("blob put: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	final := s.path(sum)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Stored{}, fmt.Errorf("blob put: %w", err)
	}
	if _, err := os.Stat(final); err != nil {
		if err := os.Rename(tmp.Name(), final); err != nil {
			return Stored{}, fmt.Errorf("blob put: %w", err)
		}
		syncDir(filepath.Dir(final))
	}
	return Stored{SHA256: sum, Size: n, ContentType: sniff(head.b, name)}, nil
}

// Open opens stored content by digest.
func (s *Store) Open(sum string) (*os.File, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("blob open: %q is not a SHA-256", sum)
	}
	return os.Open(s.path(sum))
}

func (s *Store) path(sum string) string {
	return filepath.Join(s.dir, sum[:2], sum[2:4], sum)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// sniff decides the content type from the content; a name's extension only refines the generic
// answers (text/plain, application/octet-stream) to a known, harmless type.
func sniff(head []byte, name string) string {
	ct := http.DetectContentType(head)
	generic := strings.HasPrefix(ct, "text/plain") || ct == "application/octet-stream"
	if generic {
		if byExt := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); byExt != "" && !strings.Contains(byExt, "html") && !strings.Contains(byExt, "javascript") && !strings.Contains(byExt, "svg") {
			return byExt
		}
	}
	return ct
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	b   []byte
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.b); room > 0 {
		w.b = append(w.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
