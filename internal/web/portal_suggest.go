package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// While a customer fills the request form, the portal suggests the published articles that
// match the subject they type: suggest.js asks GET /requests/suggest?q= after a pause in typing
// (JSON), and without JavaScript the form's "Search help articles" button posts the form, which
// comes back with the suggestions and every input kept. Each rendering of the form carries a
// visit key; opening a suggestion goes through GET /requests/suggest/{id}?visit=KEY, which
// records a deflection for that visit, and filing the request with the same key cancels the
// visit's deflections: a deflection counts a customer who opened a suggestion and left without
// filing (docs/kb.md, Deflected requests).

// suggestSize is how many articles the form suggests.
const suggestSize = 5

// suggestBox is the suggestions shown on the request form, after a search.
type suggestBox struct {
	Hits []suggestion
}

// suggestion is one suggested article, with the link that records the visit's deflection.
type suggestion struct {
	ID      int64               `json:"id"`
	URL     string              `json:"url"`
	Title   opsdesk.Highlighted `json:"title"`
	Snippet opsdesk.Highlighted `json:"snippet"`
}

// newVisitKey makes the visit key of one rendering of the request form: a random nonce and its
// MAC under the session's CSRF token, so that only this session can record deflections with it
// (a page of another site cannot make a customer's browser count one).
func newVisitKey(c *call) string {
	b := make([]byte, 16)
	rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	return nonce + "." + visitMAC(c, nonce)
}

func visitMAC(c *call, nonce string) string {
	secret := ""
	if c.sess != nil {
		secret = c.sess.CSRFToken
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("opsdesk visit " + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// validVisit tells whether key is a visit key this session made.
func validVisit(c *call, key string) bool {
	nonce, mac, ok := strings.Cut(key, ".")
	if !ok || len(nonce) != 22 || c.sess == nil {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(visitMAC(c, nonce)))
}

// visitOf is the visit key of a rendering of the request form: the one the form was posted
// with, or a new one.
func visitOf(c *call, f *form) string {
	if k := f.Get("visit"); validVisit(c, k) {
		return k
	}
	return newVisitKey(c)
}

// suggestArticles finds the articles to suggest for what the customer typed, as the customer:
// the store returns only the published articles they may read.
func (s *Server) suggestArticles(c *call, text, visit string) (*suggestBox, error) {
	hits, err := s.db.RelatedArticles(c.ctx, text, "", suggestSize)
	if err != nil {
		return nil, err
	}
	box := &suggestBox{Hits: []suggestion{}}
	for _, h := range hits {
		u := "/requests/suggest/" + strconv.FormatInt(h.ID, 10) + "?visit=" + url.QueryEscape(visit)
		box.Hits = append(box.Hits, suggestion{ID: h.ID, URL: u, Title: h.Title, Snippet: h.Snippet})
	}
	return box, nil
}

// suggest answers GET /requests/suggest?q=&visit=: JSON for suggest.js (Accept:
// application/json), else the request form with the subject q and the suggestions.
func (s *Server) suggest(c *call) {
	q := c.r.URL.Query()
	f := newForm("request", url.Values{"subject": {q.Get("q")}, "visit": {q.Get("visit")}})
	visit := visitOf(c, f)
	f.Values.Set("visit", visit)
	box, err := s.suggestArticles(c, q.Get("q"), visit)
	if err != nil {
		s.fail(c, err)
		return
	}
	if strings.Contains(c.r.Header.Get("Accept"), "application/json") {
		h := c.w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		json.NewEncoder(c.w).Encode(map[string]any{"articles": box.Hits})
		return
	}
	s.requestForm(c, http.StatusOK, f, box)
}

// suggestFromForm answers the form's "Search help articles" button without JavaScript: the
// form again, every input kept, with the articles matching its subject.
func (s *Server) suggestFromForm(c *call, f *form) {
	keepFilesHint(c, f)
	visit := visitOf(c, f)
	f.Values.Set("visit", visit)
	box, err := s.suggestArticles(c, f.Get("subject"), visit)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.requestForm(c, http.StatusOK, f, box)
}

// openSuggestion records that the visit opened a suggested article (a deflection, until the
// visit files its request) and sends the customer to the article. A link without a valid visit
// key of this session just leads to the article.
func (s *Server) openSuggestion(c *call) {
	id, err := formArticle(c.r.PathValue("id"))
	if err != nil {
		s.notFound(c)
		return
	}
	if visit := c.r.URL.Query().Get("visit"); validVisit(c, visit) {
		if err := s.db.RecordDeflection(c.ctx, id, visit); err != nil {
			s.fail(c, err)
			return
		}
	}
	http.Redirect(c.w, c.r, "/kb/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// endVisit cancels the deflections of the visit that just filed its request. The request is
// filed already: a failure here is logged, not shown.
func (s *Server) endVisit(c *call, f *form) {
	visit := f.Get("visit")
	if !validVisit(c, visit) {
		return
	}
	if _, err := s.db.CancelDeflections(c.ctx, visit); err != nil {
		s.log.Error("web: cancel the deflections of a filed request", "err", err)
	}
}
