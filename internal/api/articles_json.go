package api

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The JSON of knowledge-base articles (docs/kb.md, "API"). An article has one or two texts, a
// French and an English one. The answer carries them all in texts, and repeats one of them at
// the top level (lang, title, body, steps) — the one asked with ?lang= when the article has it,
// else its first (French first) — so that a client of a one-language desk reads title and body
// and never looks further. Requests take the same two forms: lang, title, body and steps at the
// top level for one text, texts for several; both may be used together for different languages.

// articleStep is one step of a procedure.
type articleStep struct {
	Position    int    `json:"position" doc:"1, 2, …; ignored in requests: the steps are numbered in the order given"`
	Instruction string `json:"instruction" required:"true"`
	Expected    string `json:"expected" doc:"the result to expect; empty if none"`
}

// articleText is one language's text of an article, as answered.
type articleText struct {
	Lang      string        `json:"lang" enum:"fr,en"`
	Title     string        `json:"title"`
	Body      string        `json:"body" doc:"Markdown, as written: render it and sanitise the HTML"`
	Steps     []articleStep `json:"steps" doc:"a procedure's steps, in order; empty for an article"`
	Revision  int           `json:"revision" doc:"the revision that last wrote this text"`
	UpdatedAt string        `json:"updated_at" format:"date-time"`
	UpdatedBy string        `json:"updated_by" doc:"who wrote it last; empty for a customer's token"`
}

// articleRecord is an article as GET /articles/{id} and the changes answer it.
type articleRecord struct {
	ID            int64         `json:"id"`
	Kind          string        `json:"kind" enum:"article,procedure"`
	Status        string        `json:"status" enum:"draft,review,published"`
	Visibility    string        `json:"visibility" enum:"internal,customers,restricted" doc:"who reads it once published: staff only, every customer, or the customers listed"`
	Customers     []string      `json:"customers" doc:"restricted: the codes of the customers who read it; always empty for a customer's token"`
	Category      string        `json:"category" doc:"a ticket category code (a product domain), or empty"`
	Tags          []string      `json:"tags"`
	Lang          string        `json:"lang" enum:"fr,en" doc:"the language of title, body and steps: ?lang= when the article has it, else its first text"`
	Title         string        `json:"title"`
	Body          string        `json:"body" doc:"Markdown, as written: render it and sanitise the HTML"`
	Steps         []articleStep `json:"steps" doc:"a procedure's steps, in order; empty for an article"`
	Texts         []articleText `json:"texts" doc:"every text of the article, French first"`
	CreatedBy     string        `json:"created_by" doc:"empty for a customer's token"`
	CreatedAt     string        `json:"created_at" format:"date-time"`
	UpdatedAt     string        `json:"updated_at" format:"date-time"`
	PublishedAt   *string       `json:"published_at" format:"date-time" doc:"last publication; null if never published"`
	Version       int64         `json:"version" doc:"incremented by every change; send it back with a change (version or If-Match)"`
	LinkedTickets int           `json:"linked_tickets" doc:"tickets it was linked to (staff; 0 for a customer's token)"`
	Deflections   int           `json:"deflections" doc:"requests it deflected in the portal (staff; 0 for a customer's token)"`
}

// articleSummary is an article in a list: titles only.
type articleSummary struct {
	ID            int64          `json:"id"`
	Kind          string         `json:"kind" enum:"article,procedure"`
	Status        string         `json:"status" enum:"draft,review,published"`
	Visibility    string         `json:"visibility" enum:"internal,customers,restricted"`
	Customers     []string       `json:"customers" doc:"restricted: the customer codes; always empty for a customer's token"`
	Category      string         `json:"category"`
	Tags          []string       `json:"tags"`
	Lang          string         `json:"lang" enum:"fr,en" doc:"the language of title: ?lang= when the article has it, else its first text"`
	Title         string         `json:"title"`
	Titles        []articleTitle `json:"titles" doc:"the title of each text, French first"`
	UpdatedAt     string         `json:"updated_at" format:"date-time"`
	PublishedAt   *string        `json:"published_at" format:"date-time"`
	Version       int64          `json:"version"`
	LinkedTickets int            `json:"linked_tickets"`
	Deflections   int            `json:"deflections"`
}

// articleTitle is one language's title.
type articleTitle struct {
	Lang  string `json:"lang" enum:"fr,en"`
	Title string `json:"title"`
}

// articleList is a page of articles.
type articleList struct {
	Items      []articleSummary `json:"items"`
	NextCursor *string          `json:"next_cursor" doc:"pass as cursor to read the next page, with the same filters; null on the last page"`
}

func articleStepsJSON(steps []opsdesk.Step) []articleStep {
	out := make([]articleStep, len(steps))
	for i, s := range steps {
		out[i] = articleStep{Position: s.Position, Instruction: s.Instruction, Expected: s.Expected}
	}
	return out
}

func articleStepsOf(steps []articleStep) []opsdesk.Step {
	out := make([]opsdesk.Step, len(steps))
	for i, s := range steps {
		out[i] = opsdesk.Step{Instruction: s.Instruction, Expected: s.Expected}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// articleJSON converts an article for actor, its top-level text in lang when it has one.
func articleJSON(a *opsdesk.Article, actor opsdesk.Actor, lang opsdesk.Lang) articleRecord {
	r := articleRecord{ID: a.ID, Kind: string(a.Kind), Status: string(a.Status), Visibility: string(a.Visibility),
		Customers: nonNil(a.Customers), Category: a.Category, Tags: nonNil(a.Tags), Texts: []articleText{},
		CreatedBy: a.CreatedBy, CreatedAt: apijson.Stamp(a.CreatedAt), UpdatedAt: apijson.Stamp(a.UpdatedAt),
		PublishedAt: apijson.Time(a.PublishedAt), Version: a.Version, LinkedTickets: a.LinkedTickets, Deflections: a.Deflections}
	r.Steps = []articleStep{}
	for _, t := range a.Texts {
		r.Texts = append(r.Texts, articleText{Lang: string(t.Lang), Title: t.Title, Body: t.Body, Steps: articleStepsJSON(t.Steps),
			Revision: t.Revision, UpdatedAt: apijson.Stamp(t.UpdatedAt), UpdatedBy: t.UpdatedBy})
	}
	if t := a.Text(lang); t != nil {
		r.Lang, r.Title, r.Body, r.Steps = string(t.Lang), t.Title, t.Body, articleStepsJSON(t.Steps)
	}
	if !actor.IsStaff() {
		r.CreatedBy, r.Customers = "", []string{}
		for i := range r.Texts {
			r.Texts[i].UpdatedBy = ""
		}
	}
	return r
}

// summaryJSON converts an article of a list (titles only) for actor.
func summaryJSON(a *opsdesk.Article, actor opsdesk.Actor, lang opsdesk.Lang) articleSummary {
	s := articleSummary{ID: a.ID, Kind: string(a.Kind), Status: string(a.Status), Visibility: string(a.Visibility),
		Customers: nonNil(a.Customers), Category: a.Category, Tags: nonNil(a.Tags), Titles: []articleTitle{},
		UpdatedAt: apijson.Stamp(a.UpdatedAt), PublishedAt: apijson.Time(a.PublishedAt), Version: a.Version,
		LinkedTickets: a.LinkedTickets, Deflections: a.Deflections}
	for _, t := range a.Texts {
		s.Titles = append(s.Titles, articleTitle{Lang: string(t.Lang), Title: t.Title})
	}
	if t := a.Text(lang); t != nil {
		s.Lang, s.Title = string(t.Lang), t.Title
	}
	if !actor.IsStaff() {
		s.Customers = []string{}
	}
	return s
}

// audience is the visibility of an article as requests give it: "internal", "customers",
// "restricted" (with customers), or a JSON array of customer codes, short for restricted to
// those. An array is kept as its JSON text (which starts with "[") until parse reads it.
type audience string

// UnmarshalJSON reads a string or an array of strings.
func (v *audience) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = audience(s)
		return nil
	case len(b) > 0 && b[0] == '[':
		var codes []string
		if err := json.Unmarshal(b, &codes); err != nil {
			return &json.UnmarshalTypeError{Value: "array of non-strings", Type: reflect.TypeFor[string]()}
		}
		j, _ := json.Marshal(nonNil(codes))
		*v = audience(j)
		return nil
	}
	return &json.UnmarshalTypeError{Value: "value", Type: reflect.TypeFor[string]()}
}

// openapiSchema: a visibility, or the list of customer codes it is restricted to.
func (audience) openapiSchema() map[string]any {
	return map[string]any{"oneOf": []any{
		map[string]any{"type": "string", "enum": []string{"internal", "customers", "restricted"}},
		map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
	}}
}

// parse returns the visibility and, for the array form, its customer codes (list is true).
func (v audience) parse() (vis opsdesk.Visibility, codes []string, list bool) {
	if len(v) > 0 && v[0] == '[' {
		_ = json.Unmarshal([]byte(v), &codes)
		return opsdesk.VisibleRestricted, codes, true
	}
	return opsdesk.Visibility(v), nil, false
}

// parseOr is parse for an optional audience.
func (v *audience) parseOr() (opsdesk.Visibility, []string, bool) {
	if v == nil {
		return "", nil, false
	}
	return v.parse()
}

// audienceOf resolves a request's visibility and customers into the store's terms. With the
// array form, customers must be absent, and errors about the codes name visibility.
func audienceOf(v audience, customers *[]string) (opsdesk.Visibility, *[]string, error) {
	vis, codes, list := v.parse()
	if !list {
		if vis != "" && !vis.Valid() {
			return "", nil, opsdesk.Invalid("visibility", "must be internal, customers, restricted or a list of customer codes")
		}
		return vis, customers, nil
	}
	if customers != nil {
		return "", nil, opsdesk.Invalid("customers", "the customers are already listed in visibility: give them once")
	}
	if len(codes) == 0 {
		return "", nil, opsdesk.Invalid("visibility", "a list of customer codes names at least one customer")
	}
	return vis, &codes, nil
}

// articleFieldTo renames field from to field to, for renameField.
func articleFieldTo(from, to string) func(string) string {
	return func(f string) string {
		if f == from {
			return to
		}
		return f
	}
}
