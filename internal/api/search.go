package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// searchHit is one ticket or article found. Its title and snippet come twice: as plain text
// (title, snippet), and cut into fragments whose texts join into that plain text, the matched
// words marked match: true — render each searchFragment escaped and wrap the matched ones in a mark.
type searchHit struct {
	Kind             string           `json:"kind" enum:"ticket,article"`
	ID               int64            `json:"id" doc:"the ticket's or the article's id"`
	Key              *string          `json:"key" doc:"tickets: the ticket's number (OPS-1042); null for an article"`
	Href             string           `json:"href" doc:"the hit in this API: /api/v1/tickets/{number} or /api/v1/articles/{id}"`
	Status           string           `json:"status" doc:"the ticket's or the article's status"`
	Lang             *string          `json:"lang" doc:"articles: the language of the text that matched; null for a ticket"`
	Title            string           `json:"title" doc:"the ticket's subject or the article's title, plain text"`
	TitleFragments   []searchFragment `json:"title_fragments" doc:"title cut into fragments, matched words marked"`
	Snippet          string           `json:"snippet" doc:"the best matching passage, plain text; … marks a cut"`
	SnippetFragments []searchFragment `json:"snippet_fragments" doc:"snippet cut into fragments, matched words marked"`
	MessageID        *int64           `json:"message_id" doc:"tickets: the message the snippet comes from; null for an article"`
	Internal         bool             `json:"internal" doc:"staff: the snippet is an internal note's, or customers do not read the article; always false for a customer's token"`
	Rank             float64          `json:"rank" doc:"higher is better; compare only within one answer"`
}

// searchFragment is a piece of a highlighted text.
type searchFragment struct {
	Text  string `json:"text"`
	Match bool   `json:"match" doc:"a word that matched the query"`
}

func searchFragments(h opsdesk.Highlighted) []searchFragment {
	out := make([]searchFragment, len(h))
	for i, f := range h {
		out[i] = searchFragment{Text: f.Text, Match: f.Match}
	}
	return out
}

func (a *API) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		return opsdesk.Invalid("q", "is required: the words to find")
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	hits, err := a.db.Search(r.Context(), opsdesk.SearchQuery{Text: text, Kind: opsdesk.SearchKind(q.Get("kind")), Limit: limit})
	if err != nil {
		return err
	}
	staff := opsdesk.ActorFrom(r.Context()).IsStaff()
	out := items[searchHit]{Items: []searchHit{}}
	for _, h := range hits {
		j := searchHit{Kind: string(h.Kind), ID: h.ID, Status: h.Status, Title: h.Title.String(), TitleFragments: searchFragments(h.Title),
			Snippet: h.Snippet.String(), SnippetFragments: searchFragments(h.Snippet), Internal: h.Internal && staff, Rank: h.Rank}
		if h.Kind == opsdesk.SearchTickets {
			key, msg := h.Key, h.MessageID
			j.Key, j.Href = &key, Prefix+"/tickets/"+key
			if msg != 0 {
				j.MessageID = &msg
			}
		} else {
			lang := string(h.Lang)
			j.Lang, j.Href = &lang, Prefix+"/articles/"+strconv.FormatInt(h.ID, 10)
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, out)
}
