package i18n

import (
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Negotiate picks the language of a page: the user's own preference when they set one, else the
// best language opsdesk speaks in the browser's Accept-Language header (by q-value, the first
// listed winning ties; "fr-FR" counts as "fr"), else def — or English when def is not a language
// opsdesk speaks.
func Negotiate(userLang opsdesk.Lang, acceptLanguage string, def opsdesk.Lang) opsdesk.Lang {
	if userLang.Valid() {
		return userLang
	}
	best, bestQ := opsdesk.Lang(""), 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, q := parseRange(part)
		if q <= bestQ {
			continue
		}
		primary, _, _ := strings.Cut(tag, "-")
		if l := opsdesk.Lang(primary); l.Valid() {
			best, bestQ = l, q
		}
	}
	if best != "" {
		return best
	}
	if def.Valid() {
		return def
	}
	return opsdesk.LangEN
}

// parseRange reads one entry of Accept-Language ("fr-FR;q=0.8") into a lower-case tag and its
// quality (1 when absent, 0 when malformed).
func parseRange(s string) (string, float64) {
	tag, params, _ := strings.Cut(s, ";")
	tag = strings.ToLower(strings.TrimSpace(tag))
	q := 1.0
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.TrimSpace(strings.ToLower(k)) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				return tag, 0
			}
			q = f
		}
	}
	return tag, q
}
