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

// staticFiles are the embedded assets and their types: one stylesheet and the small script
// modules that enhance pages which work without them.
var staticFiles = map[string]string{
	"app.css":    "text/css; charset=utf-8",
	"live.js":    "text/javascript; charset=utf-8",
	"keys.js":    "text/javascript; charset=utf-8",
	"suggest.js": "text/javascript; charset=utf-8",
	"resolve.js": "text/javascript; charset=utf-8",
}

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

// loadAssets reads every static file once and indexes it by its hashed name.
func (s *Server) loadAssets() error {
	s.assets, s.urls = map[string]asset{}, map[string]string{}
	for name, ct := range staticFiles {
		a, err := loadAsset("static/"+name, ct)
		if err != nil {
			return err
		}
		s.assets[a.name], s.urls[name] = a, a.url
	}
	return nil
}

// assetURL is the hashed URL of a static file, for the templates.
func (s *Server) assetURL(name string) (string, error) {
	u, ok := s.urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

// static serves the assets under their hashed names; any other name is not found.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	a, ok := s.assets[r.PathValue("path")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", a.etag)
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.body)
}
