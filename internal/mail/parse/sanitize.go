package parse

import (
	"regexp"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// sanitizer is built once; bluemonday policies are safe for concurrent use once built.
var sanitizer = sync.OnceValue(newSanitizer)

// newSanitizer returns the allow-list for mail HTML shown to agents: text formatting, lists,
// tables, links and images, but no script, style, form, frame or event handler. Images may only
// reference parts of the same message (cid:) or be inline data; remote images, which leak that
// the mail was read, lose their src. Links keep http, https and mailto targets, get
// rel="nofollow noopener" and open in a new window.
func newSanitizer() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "cid")
	p.AllowDataURIImages()
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowAttrs("href", "title").OnElements("a")
	p.AllowElements("a", "abbr", "acronym", "address", "b", "bdi", "bdo", "big", "blockquote",
		"br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div",
		"dl", "dt", "em", "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6",
		"hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
		"span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
		"thead", "tr", "tt", "u", "ul", "var", "wbr")
	p.AllowAttrs("align", "valign").OnElements("p", "div", "table", "tr", "td", "th", "col",
		"colgroup", "tbody", "thead", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6", "img")
	p.AllowAttrs("colspan", "rowspan", "width", "height", "border", "cellpadding",
		"cellspacing", "bgcolor").OnElements("table", "tr", "td", "th", "col", "colgroup")
	p.AllowAttrs("color", "face", "size").OnElements("font")
	p.AllowAttrs("dir", "lang", "title").Globally()
	p.AllowAttrs("start", "type").OnElements("ol")
	p.AllowAttrs("type").OnElements("ul", "li")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowAttrs("alt", "title", "width", "height", "border").OnElements("img")
	p.AllowAttrs("src").Matching(localImageSrc).OnElements("img")
	return p
}

// localImageSrc matches image sources that do not fetch anything remote.
var localImageSrc = regexp.MustCompile(`^(?i)(?:cid:\S+|data:image/(?:png|gif|jpe?g|webp|bmp);base64,[A-Za-z0-9+/=\s]+)$`)

// sanitizeHTML returns HTML that is safe to show to an agent (see newSanitizer).
func sanitizeHTML(s string) string {
	if s == "" {
		return ""
	}
	return sanitizer().Sanitize(s)
}
