package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"path"
	"strings"
)

//go:embed static templates
var files embed.FS

// asset is an embedded file served under a URL that carries a hash of its content, so that it
// can be cached for a year and a new release still reaches every browser at once.
type asset struct {
	url         string // /static/app.<hash>.css
	name        string // app.<hash>.css
	etag        string
	contentType string
	body        []byte
}

func loadAsset(file, contentType string) (asset, error) {
	b, err := files.ReadFile(file)
	if err != nil {
		return asset{}, fmt.Errorf("web: asset %s: %w", file, err)
	}
	sum := sha256.Sum256(b)
	base := path.Base(file)
	ext := path.Ext(base)
	hash := hex.EncodeToString(sum[:6])
	name := strings.TrimSuffix(base, ext) + "." + hash + ext
	return asset{url: "/static/" + name, name: name, etag: `"` + hash + `"`, contentType: contentType, body: b}, nil
}

// static serves the stylesheet under its hashed name; any other name is not found.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("path") != s.css.name {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", s.css.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", s.css.etag)
	if r.Header.Get("If-None-Match") == s.css.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(s.css.body)
}
