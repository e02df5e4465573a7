package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// newArticle is the body of POST /articles. An article starts as a draft.
type newArticle struct {
	Kind       string          `json:"kind" enum:"article,procedure" doc:"default article"`
	Visibility audience        `json:"visibility" doc:"internal (default: staff only), customers (every customer), restricted (with customers), or a JSON array of customer codes, short for restricted to them"`
	Customers  *[]string       `json:"customers" doc:"with visibility restricted: the codes of the customers who read it"`
	Category   string          `json:"category" doc:"a ticket category code, or empty"`
	Tags       []string        `json:"tags"`
	Lang       string          `json:"lang" enum:"fr,en" doc:"the language of title, body and steps; required with them"`
	Title      string          `json:"title"`
	Body       string          `json:"body" doc:"Markdown"`
	Steps      []articleStep   `json:"steps" doc:"a procedure's steps, in order"`
	Texts      []articleTextIn `json:"texts" doc:"the texts, one per language (an article in French and English); besides lang, title, body, steps, for another language"`
	Note       string          `json:"note" doc:"kept with the first revision"`
}

// articleTextIn is one language's text of a new article.
type articleTextIn struct {
	Lang  string        `json:"lang" enum:"fr,en" required:"true"`
	Title string        `json:"title" required:"true"`
	Body  string        `json:"body" doc:"Markdown"`
	Steps []articleStep `json:"steps"`
}

// articlePatch is the body of PATCH /articles/{id}; absent fields are left as they are.
type articlePatch struct {
	Version    *int64         `json:"version" doc:"the version you read; required unless sent as If-Match"`
	Category   *string        `json:"category"`
	Tags       *[]string      `json:"tags" doc:"replaces the tags"`
	Visibility *audience      `json:"visibility" doc:"internal, customers, restricted (with customers), or a JSON array of customer codes"`
	Customers  *[]string      `json:"customers" doc:"restricted: replaces the customer codes"`
	Lang       string         `json:"lang" enum:"fr,en" doc:"the text title, body and steps change; default: the article's only text (required when it has two)"`
	Title      *string        `json:"title"`
	Body       *string        `json:"body"`
	Steps      *[]articleStep `json:"steps" doc:"replaces the procedure's steps in lang"`
	Texts      []textPatch    `json:"texts" doc:"changes (or adds) the text of each language given"`
	RemoveLang string         `json:"remove_lang" enum:"fr,en" doc:"drops that language's text (an article keeps one)"`
	Status     string         `json:"status" enum:"draft,review,published" doc:"moves the article along the workflow after the other changes (its current status: no move): draft → review (staff), review → draft (staff), review → published and published → draft (ops managers and admins)"`
	Note       string         `json:"note" doc:"kept with the revisions written, and in the audit log with a status move"`
}

// textPatch changes one language's text; a new language needs a title.
type textPatch struct {
	Lang  string         `json:"lang" enum:"fr,en" required:"true"`
	Title *string        `json:"title"`
	Body  *string        `json:"body"`
	Steps *[]articleStep `json:"steps" doc:"replaces the steps"`
}

// articleLang reads the optional ?lang= of a read: the language the caller prefers.
func articleLang(r *http.Request) (opsdesk.Lang, error) {
	l := opsdesk.Lang(strings.ToLower(r.URL.Query().Get("lang")))
	if l != "" && !l.Valid() {
		return "", opsdesk.Invalid("lang", "must be fr or en")
	}
	return l, nil
}

func (a *API) listArticles(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	lang, err := articleLang(r)
	if err != nil {
		return err
	}
	f := opsdesk.ArticleFilter{Status: opsdesk.ArticleStatus(q.Get("status")), Kind: opsdesk.ArticleKind(q.Get("kind")),
		Category: strings.TrimSpace(q.Get("category")), Tag: q.Get("tag"), Lang: lang, Cursor: q.Get("cursor")}
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return err
	}
	arts, next, err := a.db.ListArticles(r.Context(), f)
	if err != nil {
		return err
	}
	actor := opsdesk.ActorFrom(r.Context())
	out := articleList{Items: []articleSummary{}}
	for _, art := range arts {
		out.Items = append(out.Items, summaryJSON(art, actor, lang))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createArticle(w http.ResponseWriter, r *http.Request) error {
	var in newArticle
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	n := &opsdesk.NewArticle{Kind: opsdesk.ArticleKind(in.Kind), Category: in.Category, Tags: in.Tags, Note: in.Note}
	vis, customers, err := audienceOf(in.Visibility, in.Customers)
	if err != nil {
		return err
	}
	n.Visibility = vis
	if customers != nil {
		n.Customers = *customers
	}
	if in.Lang != "" || in.Title != "" || in.Body != "" || in.Steps != nil {
		if in.Lang == "" {
			return opsdesk.Invalid("lang", "is required with title, body and steps: fr or en")
		}
		n.Texts = append(n.Texts, opsdesk.ArticleText{Lang: opsdesk.Lang(in.Lang), Title: in.Title, Body: in.Body, Steps: articleStepsOf(in.Steps)})
	}
	for _, t := range in.Texts {
		n.Texts = append(n.Texts, opsdesk.ArticleText{Lang: opsdesk.Lang(t.Lang), Title: t.Title, Body: t.Body, Steps: articleStepsOf(t.Steps)})
	}
	art, err := a.db.CreateArticle(r.Context(), n)
	if err != nil {
		if _, _, list := in.Visibility.parse(); list {
			err = renameField(err, articleFieldTo("customers", "visibility"))
		}
		return err
	}
	w.Header().Set("ETag", articleETag(art.Version))
	return created(w, Prefix+"/articles/"+strconv.FormatInt(art.ID, 10), articleJSON(art, opsdesk.ActorFrom(r.Context()), opsdesk.Lang(in.Lang)))
}

func (a *API) getArticle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	lang, err := articleLang(r)
	if err != nil {
		return err
	}
	art, err := a.db.ArticleByID(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", articleETag(art.Version))
	return writeJSON(w, http.StatusOK, articleJSON(art, opsdesk.ActorFrom(r.Context()), lang))
}

// articleETag is the entity tag of an article's version.
func articleETag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// articleIfMatch reads the version an If-Match header gives ("3", W/"3" or 3); 0 when absent.
func articleIfMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, opsdesk.Invalid("If-Match", "must be the article's ETag, its version in quotes: \"3\"")
	}
	return v, nil
}
