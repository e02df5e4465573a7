package api

import (
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// articleRevision is one saved state of an article's text (staff only).
type articleRevision struct {
	Number    int           `json:"number" doc:"1, 2, … per article, over both languages"`
	Lang      string        `json:"lang" enum:"fr,en"`
	Title     string        `json:"title"`
	Body      string        `json:"body"`
	Steps     []articleStep `json:"steps"`
	Author    string        `json:"author"`
	Note      string        `json:"note"`
	CreatedAt string        `json:"created_at" format:"date-time"`
}

// articleDiff is the line diff between two revisions.
type articleDiff struct {
	From  int               `json:"from"`
	To    int               `json:"to"`
	Lines []articleDiffLine `json:"lines" doc:"the title as '# title', the body's lines, then the steps"`
}

// articleDiffLine is one line of a diff.
type articleDiffLine struct {
	Op   string `json:"op" enum:"=,-,+" doc:"= in both, - only in from, + only in to"`
	Text string `json:"text"`
}

func (a *API) articleRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	revs, err := a.db.ArticleRevisions(r.Context(), id)
	if err != nil {
		return err
	}
	out := items[articleRevision]{Items: []articleRevision{}}
	for _, rv := range revs {
		out.Items = append(out.Items, articleRevision{Number: rv.Number, Lang: string(rv.Lang), Title: rv.Title, Body: rv.Body,
			Steps: articleStepsJSON(rv.Steps), Author: rv.Author, Note: rv.Note, CreatedAt: apijson.Stamp(rv.CreatedAt)})
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) articleDiff(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var rev [2]int
	for i, name := range []string{"from", "to"} {
		v := r.URL.Query().Get(name)
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return opsdesk.Invalid(name, "is required: a revision number (GET …/revisions lists them)")
		}
		rev[i] = n
	}
	lines, err := a.db.ArticleDiff(r.Context(), id, rev[0], rev[1])
	if err != nil {
		return err
	}
	out := articleDiff{From: rev[0], To: rev[1], Lines: []articleDiffLine{}}
	for _, l := range lines {
		out.Lines = append(out.Lines, articleDiffLine{Op: string(l.Op), Text: l.Text})
	}
	return writeJSON(w, http.StatusOK, out)
}
