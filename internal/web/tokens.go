package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// tokensPage is the data of the API tokens page.
type tokensPage struct {
	Form    *form
	Expiry  []option
	Tokens  []*opsdesk.APIToken
	Secret  string // the token just created: shown on this response only, never again
	Created *opsdesk.APIToken
	Now     time.Time
}

func (s *Server) showTokens(c *call, status int, p tokensPage) {
	var err error
	if p.Tokens, err = s.db.ListAPITokens(c.ctx, c.user.ID); err != nil {
		s.fail(c, err)
		return
	}
	if p.Form == nil {
		p.Form = newForm("token", nil)
	}
	p.Expiry, p.Now = expiryOptions(c), s.db.Now()
	s.render(c, status, "tokens", c.T("token.title"), p)
}

// tokens lists the user's API tokens and offers to create one.
func (s *Server) tokens(c *call) { s.showTokens(c, http.StatusOK, tokensPage{}) }

// createToken makes a token and shows its secret once, in the response to the POST itself (no
// redirect: the secret must not travel in a URL or be shown by a reload).
func (s *Server) createToken(c *call) {
	f := newForm("token", c.r.PostForm)
	var expires time.Time
	if d := f.Get("expires"); d != "" {
		days, err := strconv.Atoi(d)
		if err != nil || days < 1 || days > 3660 {
			f.Fail("expires", c.T("token.bad_expiry"))
			s.showTokens(c, http.StatusUnprocessableEntity, tokensPage{Form: f})
			return
		}
		expires = s.db.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	secret, tk, err := s.db.CreateAPIToken(c.ctx, c.user.ID, f.Get("name"), expires)
	if err != nil {
		s.formError(c, f, err, func(status int) { s.showTokens(c, status, tokensPage{Form: f}) })
		return
	}
	s.showTokens(c, http.StatusCreated, tokensPage{Secret: secret, Created: tk})
}

// revokeToken revokes one of the user's tokens at once.
func (s *Server) revokeToken(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if err := s.db.RevokeAPIToken(c.ctx, id); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/account/tokens?done=revoked")
}
