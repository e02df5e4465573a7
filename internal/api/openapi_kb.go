package api

import "net/http"

// kbOperations describes the knowledge-base and search routes (docs/kb.md, "API"). Customers
// read the published articles shown to them, search their own organisation's tickets and those
// articles, and see the articles linked to their tickets; everything else is for staff.
func kbOperations() map[string]op {
	as := Prefix + "/articles"
	ar := as + "/{id}"
	tk := Prefix + "/tickets/{number}"
	lang := param{"lang", "fr or en: the language of the top-level title (and body) when the article has it; default its first text, French first"}
	return map[string]op{
		"GET " + as: {summary: "List the articles the caller may read, most recently updated first, titles only, one page at a time " +
			"(a customer's token lists the published articles shown to its organisation)",
			query: []param{{"status", "draft, review or published"}, {"kind", "article or procedure"}, {"category", "category code"},
				{"tag", "a tag"}, {"lang", "fr or en: only the articles with a text in that language, titled in it"}, {"limit", "page size, 1 to 200 (default 50)"}, {"cursor", "next_cursor of the previous page"}},
			resp: articleList{}},
		"POST " + as: {summary: "Write an article or a procedure, as a draft, in French and/or English (staff): lang, title, body, " +
			"steps for one text, texts for several",
			body: newArticle{}, status: http.StatusCreated, resp: articleRecord{}},
		"GET " + ar: {summary: "Read an article with all its texts; the ETag is its version (a customer's token reads only " +
			"the published articles shown to it: anything else is 404)", query: []param{lang}, resp: articleRecord{}},
		"PATCH " + ar: {summary: "Change an article's texts and settings, then its status if given (staff; published articles " +
			"by ops managers and admins). The version read is required, in the body or as If-Match: 409 if it changed since",
			body: articlePatch{}, resp: articleRecord{}},
		"GET " + ar + "/revisions": {summary: "The revisions of the article's texts, newest first (staff)", resp: items[articleRevision]{}},
		"GET " + ar + "/diff": {summary: "The line diff between two revisions of the article (staff)",
			query: []param{{"from", "revision number"}, {"to", "revision number"}}, resp: articleDiff{}},
		"GET " + Prefix + "/search": {summary: "Full-text search of tickets and articles, best first, among what the caller may " +
			"read: every word must match, accents and case ignored, French and English word forms matched",
			query: []param{{"q", "the words (required)"}, {"kind", "ticket or article; both when absent"},
				{"limit", "at most this many, 1 to 100 (default 20)"}},
			resp: items[searchHit]{}},
		"GET " + tk + "/articles": {summary: "The articles linked to the ticket, most recent link first (a customer sees those it may read)",
			query: []param{lang}, resp: items[ticketArticle]{}},
		"POST " + tk + "/articles": {summary: "Link an article to the ticket: it helped solve it; linking again changes nothing (staff)",
			body: articleLink{}, status: http.StatusCreated, resp: ticketArticle{}},
		"DELETE " + tk + "/articles/{id}": {summary: "Unlink an article from the ticket (staff)", status: http.StatusNoContent},
		"POST " + tk + "/procedure-steps": {summary: "Record in the ticket's history (internal) that a step of a procedure was " +
			"carried out, with what was seen (staff)", body: stepDone{}, status: http.StatusNoContent},
	}
}
