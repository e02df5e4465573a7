package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// form is the state of one HTML form: the values to show (what the user typed, kept across a
// failed submission) and the messages for its fields.
type form struct {
	ID      string // prefix of the element ids, unique on the page
	Values  url.Values
	Errors  map[string]string // field name → message, in the user's language
	Message string            // a message about the whole form
}

func newForm(id string, v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{ID: id, Values: v, Errors: map[string]string{}}
}

// Get returns a field's value.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// Has tells whether a multi-valued field (checkboxes, select) holds value.
func (f *form) Has(name, value string) bool { return slices.Contains(f.Values[name], value) }

// Err returns the message for a field, or "".
func (f *form) Err(name string) string { return f.Errors[name] }

// Fail records a message for a field ("" for the form as a whole).
func (f *form) Fail(field, msg string) {
	if field == "" {
		f.Message = msg
		return
	}
	f.Errors[field] = msg
}

// Failed tells whether any message was recorded.
func (f *form) Failed() bool { return f.Message != "" || len(f.Errors) > 0 }

// fieldView is one labelled input as the "input" partial renders it.
type fieldView struct {
	ID, Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                                bool
	Options                                                 []option // for Type "select"
}

// DescribedBy lists the ids of the hint and the error of the field, for aria-describedby.
func (v fieldView) DescribedBy() string {
	var ids []string
	if v.Hint != "" {
		ids = append(ids, v.ID+"-hint")
	}
	if v.Error != "" {
		ids = append(ids, v.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// option is one choice of a select, its label already in the user's language.
type option struct {
	Value, Label string
	Selected     bool
}

// field describes an input of f. Flags: "required", "ac=<autocomplete>", "hint=<catalog key>".
// Password inputs never echo a value back.
func (f *form) field(lang opsdesk.Lang, name, label, typ string, flags ...string) fieldView {
	v := fieldView{ID: f.ID + "-" + name, Name: name, Label: i18n.T(lang, label), Type: typ,
		Value: f.Get(name), Error: f.Errors[name]}
	if typ == "password" {
		v.Value = ""
	}
	for _, fl := range flags {
		switch {
		case fl == "required":
			v.Required = true
		case strings.HasPrefix(fl, "ac="):
			v.Autocomplete = fl[3:]
		case strings.HasPrefix(fl, "hint="):
			v.Hint = i18n.T(lang, fl[5:])
		}
	}
	return v
}

// choose returns the field as a select over opts, marking the options the form holds.
func (v fieldView) choose(f *form, opts []option) fieldView {
	v.Type = "select"
	v.Options = make([]option, len(opts))
	for i, o := range opts {
		o.Selected = f.Has(v.Name, o.Value)
		v.Options[i] = o
	}
	return v
}

// splitList reads a comma-separated input ("a.example, b.example") into its items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// pathID reads a positive numeric path value; ok is false for anything else.
func pathID(c *call, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// queryID reads an optional positive numeric query parameter (0 when absent or malformed).
func queryID(c *call, name string) int64 {
	id, err := strconv.ParseInt(c.r.URL.Query().Get(name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

func itoa(n int) string { return strconv.Itoa(n) }
