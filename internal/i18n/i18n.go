// Package i18n holds opsdesk's French and English message catalogs and chooses the language of
// a request. Keys are dotted names grouped by page or topic ("login.title", "role.agent"); a
// message may hold fmt verbs filled by the arguments of T. Both catalogs have the same keys — a
// test holds them to it — so a missing translation is a failing build, not a blank on screen.
package i18n

import (
	"fmt"
	"slices"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// catalogs maps each language to its messages. The maps are assembled from one file per topic
// and language (en_*.go, fr_*.go) at init, and never written afterwards.
var catalogs = map[opsdesk.Lang]map[string]string{
	opsdesk.LangEN: merge(enCommon, enAdmin, enTickets, enCatalogs, enMail, enSLAAdmin, enSLA, enProblems, enKB, enKBTicket, enResolution, enSurvey, enEnv, enProbes, enProjects, enMyProjects, enPTemplates, enPlan, enDashboard, enCapa, enReportMonthly, enPreventive, enQuality, enDemo),
	opsdesk.LangFR: merge(frCommon, frAdmin, frTickets, frCatalogs, frMail, frSLAAdmin, frSLA, frProblems, frKB, frKBTicket, frResolution, frSurvey, frEnv, frProbes, frProjects, frMyProjects, frPTemplates, frPlan, frDashboard, frCapa, frReportMonthly, frPreventive, frQuality, frDemo),
}

func merge(parts ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("i18n: duplicate key " + k)
			}
			out[k] = v
		}
	}
	return out
}

// T returns the message key in lang, formatted with args when there are any. An unknown
// language falls back to English; an unknown key is returned as is, so that it shows up on
// screen and in tests rather than as an empty string.
func T(lang opsdesk.Lang, key string, args ...any) string {
	cat, ok := catalogs[lang]
	if !ok {
		cat = catalogs[opsdesk.LangEN]
	}
	msg, ok := cat[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has tells whether key is in the catalogs.
func Has(key string) bool {
	_, ok := catalogs[opsdesk.LangEN][key]
	return ok
}

// Keys returns the sorted keys of lang's catalog.
func Keys(lang opsdesk.Lang) []string {
	var out []string
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Domain translates a message from the store (domain messages are written in English) when it is
// one users commonly meet; any other message is returned as it is.
func Domain(lang opsdesk.Lang, msg string) string {
	if lang == opsdesk.LangFR {
		if fr, ok := domainFR[msg]; ok {
			return fr
		}
		if fr, ok := domainPatternFR(msg); ok {
			return fr
		}
	}
	return msg
}
