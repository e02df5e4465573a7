package web

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"

	"github.com/opsdesk/opsdesk/internal/auth"
)

// maxFormBytes bounds a posted form; nothing in the UI comes close.
const maxFormBytes = 1 << 20

// multipartMemory is how much of a multipart form is held in memory; larger files wait in
// temporary files, which the HTTP server removes after the request.
const multipartMemory = 1 << 20

// csrfField is the hidden input every state-changing form carries.
const csrfField = "csrf"

// checkCSRF parses the posted form and checks its token: the session's for logged-in routes, the
// double-submit cookie's for the login and first-run forms (no session exists yet). On failure
// it answers 403 (or 400 for a form that cannot be read) and returns false.
func (s *Server) checkCSRF(c *call, a access) bool {
	if !s.parseForm(c) {
		return false
	}
	want := ""
	if a == anyone {
		if ck, err := c.r.Cookie(s.csrfCookieName()); err == nil {
			want = ck.Value
		}
	} else if c.sess != nil {
		want = c.sess.CSRFToken
	}
	got := c.r.PostForm.Get(csrfField)
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		s.log.Info("web: CSRF token rejected", "path", c.r.URL.Path, "ip", s.clientIP(c.r))
		s.errorPage(c, http.StatusForbidden, "error.csrf")
		return false
	}
	return true
}

// csrfCookieName is the double-submit cookie's name. On HTTPS it takes the __Host- prefix, which
// browsers only accept from this exact host over TLS: a sibling subdomain cannot plant it.
func (s *Server) csrfCookieName() string {
	if s.cfg.SecureCookies() {
		return "__Host-opsdesk_csrf"
	}
	return "opsdesk_csrf"
}

// preSessionToken returns the double-submit token for the login and first-run forms, setting
// the cookie that carries it when the browser has none yet.
func (s *Server) preSessionToken(c *call) string {
	if ck, err := c.r.Cookie(s.csrfCookieName()); err == nil && len(ck.Value) >= 32 {
		return ck.Value
	}
	tok := auth.NewSecret()
	http.SetCookie(c.w, &http.Cookie{
		Name: s.csrfCookieName(), Value: tok, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
	return tok
}

// parseForm reads a posted form: a URL-encoded one within maxFormBytes, a multipart one (with
// attachments) within maxRequestBytes, room for a few files at the upload limit, so that a
// single file over the limit is reported next to its field rather than as a broken request.
func (s *Server) parseForm(c *call) bool {
	mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		c.r.Body = http.MaxBytesReader(c.w, c.r.Body, maxFormBytes)
		if err := c.r.ParseForm(); err != nil {
			s.errorPage(c, http.StatusBadRequest, "error.bad_request")
			return false
		}
		return true
	}
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, s.maxRequestBytes())
	if err := c.r.ParseMultipartForm(multipartMemory); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.errorPage(c, http.StatusRequestEntityTooLarge, "error.upload_too_large", formatSize(c.lang, s.cfg.MaxUpload))
			return false
		}
		s.errorPage(c, http.StatusBadRequest, "error.bad_request")
		return false
	}
	return true
}
