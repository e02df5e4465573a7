package opsdesk

import (
	"regexp"
	"strings"
	"time"
)

// ProjectTemplate defines the phases of a project and the checklist items of each. Admins edit
// templates; a project copies its template's phases and items at creation, so a later edit never
// changes a project already created.
type ProjectTemplate struct {
	ID        int64
	Code      string // unique, e.g. "default"
	NameFR    string
	NameEN    string
	IsDefault bool // the template a project uses when none is named
	Phases    []TemplatePhase
	UpdatedAt time.Time
}

// TemplatePhase is a phase of a template, in Position order.
type TemplatePhase struct {
	Code   string // unique within the template, e.g. "preframing"
	NameFR string
	NameEN string
	Items  []TemplateItem
}

// TemplateItem is a checklist item of a template phase.
type TemplateItem struct {
	Kind          ItemKind
	TitleFR       string
	TitleEN       string
	DescriptionFR string
	DescriptionEN string
	OwnerSide     OwnerSide // who owes it by default
	OffsetDays    int       // due this many days after the project's start
}

var templateCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// Validate checks a template: codes, names in both languages, items complete.
func (t *ProjectTemplate) Validate() error {
	t.Code = strings.ToLower(strings.TrimSpace(t.Code))
	t.NameFR, t.NameEN = strings.TrimSpace(t.NameFR), strings.TrimSpace(t.NameEN)
	if !templateCodeRE.MatchString(t.Code) {
		return Invalid("code", "must be lower-case letters, digits, - or _ (at most 40), starting with a letter")
	}
	if t.NameFR == "" || t.NameEN == "" {
		return Invalid("name", "is required in French and English")
	}
	if len(t.Phases) == 0 {
		return Invalid("phases", "a template needs at least one phase")
	}
	seen := map[string]bool{}
	for i := range t.Phases {
		p := &t.Phases[i]
		p.Code = strings.ToLower(strings.TrimSpace(p.Code))
		if !templateCodeRE.MatchString(p.Code) {
			return Invalid("phases", "phase %d: the code must be lower-case letters, digits, - or _", i+1)
		}
		if seen[p.Code] {
			return Invalid("phases", "phase %s appears twice", p.Code)
		}
		seen[p.Code] = true
		if strings.TrimSpace(p.NameFR) == "" || strings.TrimSpace(p.NameEN) == "" {
			return Invalid("phases", "phase %s needs a name in French and English", p.Code)
		}
		for j := range p.Items {
			it := &p.Items[j]
			it.TitleFR, it.TitleEN = strings.TrimSpace(it.TitleFR), strings.TrimSpace(it.TitleEN)
			if it.TitleFR == "" || it.TitleEN == "" {
				return Invalid("items", "phase %s, item %d needs a title in French and English", p.Code, j+1)
			}
			if it.Kind == "" {
				it.Kind = ItemTask
			}
			if !it.Kind.Valid() {
				return Invalid("items", "phase %s, item %q: kind must be prerequisite, deliverable or task", p.Code, it.TitleEN)
			}
			if it.OwnerSide == "" {
				it.OwnerSide = SideVendor
			}
			if !it.OwnerSide.Valid() {
				return Invalid("items", "phase %s, item %q: owner must be vendor or customer", p.Code, it.TitleEN)
			}
			if it.OffsetDays < 0 || it.OffsetDays > 3650 {
				return Invalid("items", "phase %s, item %q: the offset is 0 to 3650 days", p.Code, it.TitleEN)
			}
		}
	}
	return nil
}
