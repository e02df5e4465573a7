package web

import (
	"cmp"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The editor's form is flat: "name_fr", "name_en", "phases" (the number of phase rows), and for
// phase row i the fields "p<i>-code", "-name_fr", "-name_en", "-order", "-remove", "-items"
// (its number of item rows); item row j of it has "p<i>-i<j>-title_fr", "-title_en",
// "-description_fr", "-description_en", "-owner", "-offset", "-kind", "-order", "-remove".

// phaseCodeRE is the store's rule for phase codes (opsdesk.ProjectTemplate.Validate).
var phaseCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// templateValues lays a template out as the editor's form, ordered 10, 20, …, with blank rows
// for a new phase and new items.
func templateValues(tpl *opsdesk.ProjectTemplate) url.Values {
	v := url.Values{"name_fr": {tpl.NameFR}, "name_en": {tpl.NameEN}}
	rows := len(tpl.Phases) + blankPhases
	v.Set("phases", strconv.Itoa(rows))
	for i := range rows {
		p := "p" + strconv.Itoa(i)
		var items []opsdesk.TemplateItem
		if i < len(tpl.Phases) {
			ph := tpl.Phases[i]
			items = ph.Items
			v.Set(p+"-code", ph.Code)
			v.Set(p+"-name_fr", ph.NameFR)
			v.Set(p+"-name_en", ph.NameEN)
			v.Set(p+"-order", strconv.Itoa(10*(i+1)))
		}
		v.Set(p+"-items", strconv.Itoa(len(items)+blankItems))
		for j := range len(items) + blankItems {
			it := p + "-i" + strconv.Itoa(j)
			v.Set(it+"-kind", string(opsdesk.ItemTask))
			v.Set(it+"-owner", string(opsdesk.SideVendor))
			if j >= len(items) {
				continue
			}
			x := items[j]
			v.Set(it+"-kind", string(x.Kind))
			v.Set(it+"-owner", string(x.OwnerSide))
			v.Set(it+"-title_fr", x.TitleFR)
			v.Set(it+"-title_en", x.TitleEN)
			v.Set(it+"-description_fr", x.DescriptionFR)
			v.Set(it+"-description_en", x.DescriptionEN)
			v.Set(it+"-offset", strconv.Itoa(x.OffsetDays))
			v.Set(it+"-order", strconv.Itoa(10*(j+1)))
		}
	}
	return v
}

// orderedRow is a kept row with its order field, for sorting.
type orderedRow[T any] struct {
	order, row int
	val        T
}

// sortRows orders rows by their order field, then by their place on the page.
func sortRows[T any](rows []orderedRow[T]) []T {
	slices.SortStableFunc(rows, func(a, b orderedRow[T]) int {
		return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.row, b.row))
	})
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.val)
	}
	return out
}

// templateFromForm reads the editor's form into a template (without ID, code or default flag).
// Each invalid field gets its message on f; ok is false when any did.
func templateFromForm(c *call, f *form) (tpl *opsdesk.ProjectTemplate, ok bool) {
	get := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	required := func(name string) string {
		val := get(name)
		if val == "" {
			f.Fail(name, c.T("ptpl.err.required"))
		}
		return val
	}
	tpl = &opsdesk.ProjectTemplate{NameFR: required("name_fr"), NameEN: required("name_en")}
	var phases []orderedRow[opsdesk.TemplatePhase]
	seen := map[string]bool{}
	for i, rows := range formRows(f) {
		p := rows.P
		blank := get(p+"-code") == "" && get(p+"-name_fr") == "" && get(p+"-name_en") == ""
		if get(p+"-remove") != "" {
			continue
		}
		items := itemsFromForm(c, f, rows.Items)
		if blank && len(items) == 0 {
			continue
		}
		ph := opsdesk.TemplatePhase{Code: strings.ToLower(get(p + "-code")), NameFR: required(p + "-name_fr"),
			NameEN: required(p + "-name_en"), Items: items}
		switch {
		case !phaseCodeRE.MatchString(ph.Code):
			f.Fail(p+"-code", c.T("ptpl.err.code"))
		case seen[ph.Code]:
			f.Fail(p+"-code", c.T("ptpl.err.dup_phase", ph.Code))
		}
		seen[ph.Code] = true
		phases = append(phases, orderedRow[opsdesk.TemplatePhase]{order: orderOf(c, f, p+"-order"), row: i, val: ph})
	}
	if len(phases) == 0 {
		f.Fail("", c.T("ptpl.err.no_phase"))
	}
	tpl.Phases = sortRows(phases)
	return tpl, !f.Failed()
}

// itemsFromForm reads the kept item rows of a phase row, in order.
func itemsFromForm(c *call, f *form, names []string) []opsdesk.TemplateItem {
	get := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	var items []orderedRow[opsdesk.TemplateItem]
	for j, it := range names {
		x := opsdesk.TemplateItem{TitleFR: get(it + "-title_fr"), TitleEN: get(it + "-title_en"),
			DescriptionFR: get(it + "-description_fr"), DescriptionEN: get(it + "-description_en"),
			Kind: opsdesk.ItemKind(get(it + "-kind")), OwnerSide: opsdesk.OwnerSide(get(it + "-owner"))}
		if get(it+"-remove") != "" || x.TitleFR+x.TitleEN+x.DescriptionFR+x.DescriptionEN == "" {
			continue
		}
		if x.TitleFR == "" {
			f.Fail(it+"-title_fr", c.T("ptpl.err.title_fr"))
		}
		if x.TitleEN == "" {
			f.Fail(it+"-title_en", c.T("ptpl.err.title_en"))
		}
		if !x.Kind.Valid() {
			f.Fail(it+"-kind", c.T("ptpl.err.kind"))
		}
		if !x.OwnerSide.Valid() {
			f.Fail(it+"-owner", c.T("ptpl.err.owner"))
		}
		if off := get(it + "-offset"); off != "" {
			n, err := strconv.Atoi(off)
			if err != nil || n < 0 || n > 3650 {
				f.Fail(it+"-offset", c.T("ptpl.err.offset"))
			}
			x.OffsetDays = n
		}
		items = append(items, orderedRow[opsdesk.TemplateItem]{order: orderOf(c, f, it+"-order"), row: j, val: x})
	}
	return sortRows(items)
}

// orderOf reads an order field; a blank one sorts after the numbered rows.
func orderOf(c *call, f *form, name string) int {
	val := strings.TrimSpace(f.Get(name))
	if val == "" {
		return 1 << 30
	}
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 || n >= 1<<30 {
		f.Fail(name, c.T("ptpl.err.order"))
	}
	return n
}
