package web

import (
	"regexp"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The derived status's reasons are English sentences (opsdesk.DeriveStatus); this file says them
// in the reader's language, with the items' titles in that language too. A sentence it does not
// know is shown as it is.

var (
	reasonDue    = regexp.MustCompile(`^(item|task|milestone) ("(?:[^"\\]|\\.)*") (was|is) due (\d{4}-\d{2}-\d{2})$`)
	reasonTarget = regexp.MustCompile(`^the target date (\d{4}-\d{2}-\d{2}) is past$`)
	reasonPath   = regexp.MustCompile(`^the remaining work \((\d+) days\) ends (\d{4}-\d{2}-\d{2}), after the target date (\d{4}-\d{2}-\d{2})$`)
)

// localReasons returns the reasons of st in the call's language; items give the titles.
func localReasons(c *call, st opsdesk.StatusReport, items []*opsdesk.Item) []string {
	titles := map[string]string{}
	for _, it := range items {
		titles[it.TitleEN] = it.Title(c.lang)
	}
	out := make([]string, 0, len(st.Reasons))
	for _, r := range st.Reasons {
		out = append(out, localReason(c, r, titles))
	}
	return out
}

func localReason(c *call, r string, titles map[string]string) string {
	if m := reasonDue.FindStringSubmatch(r); m != nil {
		title, err := strconv.Unquote(m[2])
		if err != nil {
			return r
		}
		if m[1] == "item" {
			if t, ok := titles[title]; ok {
				title = t
			}
		}
		when := "late"
		if m[3] == "is" {
			when = "soon"
		}
		return c.T("project.reason."+m[1]+"."+when, title, m[4])
	}
	if m := reasonTarget.FindStringSubmatch(r); m != nil {
		return c.T("project.reason.target", m[1])
	}
	if m := reasonPath.FindStringSubmatch(r); m != nil {
		return c.T("project.reason.path", m[1], m[2], m[3])
	}
	return r
}
