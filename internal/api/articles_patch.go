package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// patchArticle changes an article's content and settings (store.UpdateArticle), then, when
// status is given, moves it along the workflow (store.SetArticleStatus), which has its own
// permissions. The move is checked before anything is written, so that a move the caller may
// not make changes nothing; should it still fail after the content was saved (a procedure
// published without steps), the problem says that the other changes were kept. A status the
// article already has is no move: clients may send back what they read.
func (a *API) patchArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in articlePatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	version, err := patchVersion(r, in.Version)
	if err != nil {
		return err
	}
	ctx := r.Context()
	actor := opsdesk.ActorFrom(ctx)
	cur, err := a.db.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !actor.IsStaff() {
		return opsdesk.Forbidden("only the vendor's team edits the knowledge base")
	}
	if cur.Version != version {
		return opsdesk.Conflict("version", "article %d was changed since you read it (version %d, now %d): reload it", id, version, cur.Version)
	}
	p, err := articlePatchOf(&in, cur, version)
	if err != nil {
		return err
	}
	to := opsdesk.ArticleStatus(in.Status)
	if to == cur.Status {
		in.Status = "" // already there: a client may send back the status it read
	}
	if in.Status != "" {
		if err := opsdesk.CheckArticleTransition(actor, cur.Status, to); err != nil {
			return err
		}
	}
	art := cur
	if !p.Empty() || in.Status == "" {
		if art, err = a.db.UpdateArticle(ctx, id, p); err != nil {
			if _, _, list := in.Visibility.parseOr(); list {
				err = renameField(err, articleFieldTo("customers", "visibility"))
			}
			return err
		}
	}
	if in.Status != "" {
		moved, err := a.db.SetArticleStatus(ctx, id, to, art.Version, in.Note)
		if err != nil {
			if art.Version != version {
				return keptChanges(err, art.Version)
			}
			return err
		}
		art = moved
	}
	lang := opsdesk.Lang(in.Lang)
	w.Header().Set("ETag", articleETag(art.Version))
	return writeJSON(w, http.StatusOK, articleJSON(art, actor, lang))
}

// patchVersion reads the version a change is based on: the body's version or If-Match, which
// must agree when both are given. Errors: invalid (version, If-Match).
func patchVersion(r *http.Request, body *int64) (int64, error) {
	hv, err := articleIfMatch(r)
	if err != nil {
		return 0, err
	}
	switch {
	case body != nil && *body <= 0:
		return 0, opsdesk.Invalid("version", "must be the article's version, a positive number")
	case body != nil && hv != 0 && *body != hv:
		return 0, opsdesk.Invalid("version", "the body says version %d and If-Match %d: send one", *body, hv)
	case body != nil:
		return *body, nil
	case hv != 0:
		return hv, nil
	}
	return 0, opsdesk.Invalid("version", "is required: the version of the article you edited (or its ETag as If-Match)")
}

// articlePatchOf maps the request onto the store's patch of article cur.
func articlePatchOf(in *articlePatch, cur *opsdesk.Article, version int64) (*opsdesk.ArticlePatch, error) {
	p := &opsdesk.ArticlePatch{Version: version, Category: in.Category, Tags: in.Tags, Customers: in.Customers,
		RemoveLang: opsdesk.Lang(in.RemoveLang), Note: in.Note}
	if in.Visibility != nil {
		vis, customers, err := audienceOf(*in.Visibility, in.Customers)
		if err != nil {
			return nil, err
		}
		if vis == "" {
			return nil, opsdesk.Invalid("visibility", "must be internal, customers, restricted or a list of customer codes")
		}
		p.Visibility, p.Customers = &vis, customers
	}
	if in.Title != nil || in.Body != nil || in.Steps != nil {
		lang := opsdesk.Lang(in.Lang)
		if lang == "" {
			if len(cur.Texts) != 1 {
				return nil, opsdesk.Invalid("lang", "the article has a French and an English text: say which one title, body and steps change")
			}
			lang = cur.Texts[0].Lang
			in.Lang = string(lang)
		}
		p.Texts = append(p.Texts, opsdesk.TextPatch{Lang: lang, Title: in.Title, Body: in.Body, Steps: articleStepsPtr(in.Steps)})
	} else if in.Lang != "" && !opsdesk.Lang(in.Lang).Valid() {
		return nil, opsdesk.Invalid("lang", "must be fr or en")
	}
	for _, t := range in.Texts {
		p.Texts = append(p.Texts, opsdesk.TextPatch{Lang: opsdesk.Lang(t.Lang), Title: t.Title, Body: t.Body, Steps: articleStepsPtr(t.Steps)})
	}
	return p, nil
}

func articleStepsPtr(steps *[]articleStep) *[]opsdesk.Step {
	if steps == nil {
		return nil
	}
	s := articleStepsOf(*steps)
	return &s
}

// keptChanges tells, with the error of a status move, that the changes before it were saved.
func keptChanges(err error, version int64) error {
	var e *opsdesk.Error
	if !errors.As(err, &e) || e.Kind == opsdesk.KindInternal {
		return err
	}
	c := *e
	c.Message = fmt.Sprintf("%s (the other changes were saved: the article is now version %d)", e.Message, version)
	return &c
}
