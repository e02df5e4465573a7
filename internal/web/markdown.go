package web

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Knowledge-base articles are written in Markdown by staff and read by customers. Rendering is
// done in two steps: goldmark turns CommonMark (with GitHub's tables, strikethrough, task lists
// and autolinks) into HTML, leaving raw HTML out (it is not rendered "unsafe"); then
// bluemonday's user-generated-content policy removes whatever could still run or mislead —
// scripts, event handlers, javascript: and data: links, styles, frames, forms. The second step
// is the safety net: it does not trust the first.

// markdown is the converter; goldmark converters are safe for concurrent use once built.
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))

// markdownPolicy is the sanitiser of rendered Markdown; a built bluemonday policy is safe for
// concurrent use. Links get rel="nofollow noreferrer", and only http, https and mailto URLs
// (and relative ones) are kept.
var markdownPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoReferrerOnLinks(true)
	// GFM task lists: a disabled checkbox, nothing else of the input element.
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	return p
}()

// renderMarkdown turns an article's Markdown into sanitised HTML, ready for a template. A body
// that goldmark cannot convert (it converts any text) is shown escaped as it is.
func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<pre>" + template.HTMLEscapeString(src) + "</pre>")
	}
	return template.HTML(markdownPolicy.SanitizeBytes(buf.Bytes()))
}
