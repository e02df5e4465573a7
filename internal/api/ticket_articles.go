package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ticketArticle is an article linked to a ticket: it helped solve it.
type ticketArticle struct {
	Article  int64  `json:"article" doc:"the article's id"`
	Kind     string `json:"kind" enum:"article,procedure"`
	Status   string `json:"status" enum:"draft,review,published"`
	Title    string `json:"title" doc:"in ?lang= when the article has it"`
	LinkedBy string `json:"linked_by" doc:"who linked it; empty for a customer's token"`
	LinkedAt string `json:"linked_at" format:"date-time"`
}

// articleLink is the body of POST /tickets/{number}/articles.
type articleLink struct {
	Article int64 `json:"article" required:"true" doc:"the article's id"`
}

// stepDone is the body of POST /tickets/{number}/procedure-steps.
type stepDone struct {
	Article  int64  `json:"article" required:"true" doc:"the procedure's id"`
	Lang     string `json:"lang" required:"true" enum:"fr,en" doc:"the language of the text followed"`
	Position int    `json:"position" required:"true" doc:"the step's number, from 1"`
	Note     string `json:"note" doc:"what the agent saw"`
}

// linkTicketKey reads the {number} of a ticket path.
func linkTicketKey(r *http.Request) string {
	return strings.ToUpper(strings.TrimSpace(r.PathValue("number")))
}

func (a *API) ticketArticles(w http.ResponseWriter, r *http.Request) error {
	lang, err := articleLang(r)
	if err != nil {
		return err
	}
	links, err := a.db.TicketArticles(r.Context(), linkTicketKey(r), lang)
	if err != nil {
		return err
	}
	staff := opsdesk.ActorFrom(r.Context()).IsStaff()
	out := items[ticketArticle]{Items: []ticketArticle{}}
	for _, l := range links {
		j := ticketArticle{Article: l.ArticleID, Kind: string(l.Kind), Status: string(l.Status), Title: l.Title, LinkedAt: apijson.Stamp(l.LinkedAt)}
		if staff {
			j.LinkedBy = l.LinkedBy
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) linkTicketArticle(w http.ResponseWriter, r *http.Request) error {
	var in articleLink
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Article <= 0 {
		return opsdesk.Invalid("article", "is required: the article's id")
	}
	ctx := r.Context()
	key := linkTicketKey(r)
	if err := a.db.LinkArticle(ctx, key, in.Article); err != nil {
		return linkField(err)
	}
	links, err := a.db.TicketArticles(ctx, key, "")
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.ArticleID == in.Article {
			return created(w, Prefix+"/tickets/"+l.TicketKey+"/articles", ticketArticle{Article: l.ArticleID, Kind: string(l.Kind),
				Status: string(l.Status), Title: l.Title, LinkedBy: l.LinkedBy, LinkedAt: apijson.Stamp(l.LinkedAt)})
		}
	}
	return opsdesk.Internal("api.linkTicketArticle", errLinkLost)
}

func (a *API) unlinkTicketArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.db.UnlinkArticle(r.Context(), linkTicketKey(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) tickStep(w http.ResponseWriter, r *http.Request) error {
	var in stepDone
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	switch {
	case in.Article <= 0:
		return opsdesk.Invalid("article", "is required: the procedure's id")
	case !opsdesk.Lang(in.Lang).Valid():
		return opsdesk.Invalid("lang", "must be fr or en: the language of the text followed")
	case in.Position <= 0:
		return opsdesk.Invalid("position", "is required: the step's number, from 1")
	}
	err := a.db.TickStep(r.Context(), linkTicketKey(r), in.Article, opsdesk.Lang(in.Lang), in.Position, in.Note)
	if err != nil {
		return linkField(renameField(err, articleFieldTo("step", "position")))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// linkField names article the not-found of the article a body gives ("no article 12", "no
// procedure 12"); a missing ticket, the path's, stays unnamed.
func linkField(err error) error {
	msg := opsdesk.ErrorMessage(err)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) && (strings.HasPrefix(msg, "no article") || strings.HasPrefix(msg, "no procedure")) {
		return withField(err, "article")
	}
	return err
}

var errLinkLost = errors.New("the link just made is not in the ticket's list")
