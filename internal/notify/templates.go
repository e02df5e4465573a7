package notify

import (
	"bytes"
	"context"
	"errors"
	htmltemplate "html/template"
	"reflect"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Data is what a template sees: every field below, and nothing else. Strings are "" when they
// do not apply to a kind of mail (Body outside replies and new tickets, say). docs/mail.md lists
// them for admins.
type Data struct {
	Number       string // the ticket number: OPS-1042
	Subject      string // the ticket's subject
	Severity     string // the severity's label in the mail's language
	Level        string // the ticket's support level: N1, N2, N3
	Customer     string // the customer organisation's name
	Requester    string // the requester's name, or address
	Recipient    string // the name of the person the mail is addressed to ("" if unknown)
	Author       string // who wrote the reply or made the change
	Body         string // the agent's reply (reply), the request's description (ack, agent_new)
	Reason       string // the reason given with the change (waiting, resolved, escalation, assignment)
	HandlingTime string // the committed time to take the ticket in charge, "" when not known
	Clock        string // sla_warning, sla_breach: the SLA clock, in the mail's language (take charge, work around, resolve)
	Target       string // sla_warning, sla_breach: that clock's target in business time: 4 h, 2 business days
	Deadline     string // sla_warning, sla_breach: when the target is (was) exceeded, in the contract's time zone; "" if no longer known
	URL          string // the ticket's page: the portal's for customers, the workspace's for agents
	Summary      string // resolved: the resolution summary the agent wrote for the requester
	SurveyYes    string // resolved: the survey page with "solved" chosen (a signed link, no login); "" when no survey waits
	SurveyNo     string // resolved: the survey page with "not solved" chosen; "" when no survey waits
	Escalated    bool   // agent_new: the ticket joined the queue by escalation, not creation; sla_breach: the breach moved it up to Level
	Lang         string // the mail's language: fr or en
	// Mails of customer environments (maintenance_announce, access_expired): Number is then
	// empty, Subject is the window's title, Body its notes, Author who granted the access, Reason
	// the grant's reason, URL the environment's page.
	Environment string // the environment's name
	EnvKind     string // its kind in the mail's language: test, pre-production, production
	Starts      string // maintenance_announce: the window's start, in the customer calendar's time zone
	Ends        string // maintenance_announce: the window's end (excluded), same zone
	Access      string // access_expired: the kind of access, in the mail's language (SSH, VPN, …)
	Holder      string // access_expired: who holds the access
	Expired     string // access_expired: when it expired; access_expiring: when it expires — in the customer calendar's time zone
	ForHolder   bool   // access_expired: the mail goes to the holder (else to their manager or the ops managers)
	// Reminders of delivery projects (project_item_due, project_item_late): Customer is the
	// project's customer, URL the project's portal page.
	Project string // the project's name
	Phase   string // the item's phase, in the mail's language
	Item    string // the checklist item's title, in the mail's language
	Due     string // the item's due day: 2026-03-06
	// The monthly service report (monthly_report.go): Customer is the customer, URL the report's
	// portal page; each figure is written in the mail's language, "" when nothing was counted.
	Month        string // the month reported on: "March 2027", "mars 2027"
	Created      string // tickets created in the month
	Resolved     string // tickets resolved in the month
	OpenAtEnd    string // tickets still open at the month's end
	SLA          string // share of the SLA targets met in the month: "96.0%" ("" when none counted)
	Availability string // share of successful probe checks of the production environments shown to the customer
	Satisfaction string // average rating of the month's survey answers: "4.2 / 5" ("" when none)
	Answers      string // how many survey answers were rated
	OpenActions  string // corrective and preventive actions still open
}

// fieldNames are the names a template may use.
var fieldNames = func() []string {
	t := reflect.TypeFor[Data]()
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Name
	}
	return out
}()

// Rendered is a mail's subject and bodies.
type Rendered struct {
	Subject, Text, HTML string
}

// Default returns the built-in template of a kind in a language, nil if there is none.
func Default(kind Kind, lang opsdesk.Lang) *store.MailTemplate {
	t, ok := defaults[lang][kind]
	if !ok {
		return nil
	}
	t.Kind, t.Lang = string(kind), lang
	return &t
}

// defaults holds the built-in templates by language and kind (defaults_en.go, defaults_fr.go).
var defaults = map[opsdesk.Lang]map[Kind]store.MailTemplate{opsdesk.LangEN: defaultsEN, opsdesk.LangFR: defaultsFR}

// Template returns the template in force for a kind and language — the admins' override if there
// is one (custom is then true), the built-in one otherwise. Errors: invalid (kind, language).
func (n *Notifier) Template(ctx context.Context, kind Kind, lang opsdesk.Lang) (t *store.MailTemplate, custom bool, err error) {
	if !kind.Valid() {
		return nil, false, opsdesk.Invalid("kind", "%q is not a kind of mail (%s)", kind, kindList())
	}
	if !lang.Valid() {
		return nil, false, opsdesk.Invalid("lang", "must be fr or en")
	}
	t, err = n.db.MailTemplate(ctx, string(kind), lang)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return Default(kind, lang), false, nil
	}
	return t, err == nil, err
}

// Render renders the template in force for a kind and language with data.
func (n *Notifier) Render(ctx context.Context, kind Kind, lang opsdesk.Lang, data Data) (Rendered, error) {
	t, _, err := n.Template(ctx, kind, lang)
	if err != nil {
		return Rendered{}, err
	}
	return RenderTemplate(t, data)
}

// RenderTemplate renders one template with data. The subject is made one line.
func RenderTemplate(t *store.MailTemplate, data Data) (Rendered, error) {
	var r Rendered
	var err error
	if r.Subject, err = execText("subject", t.Subject, data); err != nil {
		return r, err
	}
	r.Subject = strings.Join(strings.Fields(r.Subject), " ")
	if r.Text, err = execText("text", t.Text, data); err != nil {
		return r, err
	}
	h, err := htmltemplate.New("html").Option("missingkey=error").Parse(t.HTML)
	if err != nil {
		return r, opsdesk.Invalid("html", "%s", cleanErr(err))
	}
	var b bytes.Buffer
	if err := h.Execute(&b, data); err != nil {
		return r, opsdesk.Invalid("html", "%s", cleanErr(err))
	}
	r.HTML = b.String()
	return r, nil
}

func execText(name, src string, data Data) (string, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", opsdesk.Invalid(name, "%s", cleanErr(err))
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", opsdesk.Invalid(name, "%s", cleanErr(err))
	}
	return b.String(), nil
}

// Validate checks a template an admin wants to save: each part parses, uses only the fields of
// Data, and renders with sample data (with every condition true, then false). The error names
// the part (subject, text, html) and the problem. Errors: invalid.
func Validate(t *store.MailTemplate) error {
	if !Kind(t.Kind).Valid() {
		return opsdesk.Invalid("kind", "%q is not a kind of mail (%s)", t.Kind, kindList())
	}
	if !t.Lang.Valid() {
		return opsdesk.Invalid("lang", "must be fr or en")
	}
	parts := []struct{ name, src string }{{"subject", t.Subject}, {"text", t.Text}, {"html", t.HTML}}
	for _, p := range parts {
		if strings.TrimSpace(p.src) == "" {
			return opsdesk.Invalid(p.name, "is empty")
		}
		var tree *parse.Tree
		if p.name == "html" {
			h, err := htmltemplate.New(p.name).Parse(p.src)
			if err != nil {
				return opsdesk.Invalid(p.name, "%s", cleanErr(err))
			}
			tree = h.Tree
		} else {
			tt, err := template.New(p.name).Parse(p.src)
			if err != nil {
				return opsdesk.Invalid(p.name, "%s", cleanErr(err))
			}
			tree = tt.Tree
		}
		if tree != nil && tree.Root != nil {
			if err := checkFields(tree.Root); err != nil {
				return opsdesk.Invalid(p.name, "%s", err)
			}
		}
	}
	for _, d := range []Data{sample(t.Lang, true), sample(t.Lang, false)} {
		if _, err := RenderTemplate(t, d); err != nil {
			return err
		}
	}
	return nil
}

// checkFields walks a template and refuses any field that Data does not have (and fields of
// fields: every field of Data is a plain value).
func checkFields(node parse.Node) error {
	check := func(idents []string, pos string) error {
		if len(idents) == 0 {
			return nil
		}
		if !slices.Contains(fieldNames, idents[0]) {
			return errors.New(pos + "unknown field ." + idents[0] + " (the fields are ." + strings.Join(fieldNames, ", .") + ")")
		}
		if len(idents) > 1 {
			return errors.New(pos + "." + idents[0] + " has no field ." + idents[1])
		}
		return nil
	}
	var walk func(parse.Node) error
	walk = func(node parse.Node) error {
		switch n := node.(type) {
		case *parse.ListNode:
			if n == nil {
				return nil
			}
			for _, c := range n.Nodes {
				if err := walk(c); err != nil {
					return err
				}
			}
		case *parse.ActionNode:
			return walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return nil
			}
			for _, c := range n.Cmds {
				if err := walk(c); err != nil {
					return err
				}
			}
		case *parse.CommandNode:
			if n == nil {
				return nil
			}
			for _, a := range n.Args {
				if err := walk(a); err != nil {
					return err
				}
			}
		case *parse.FieldNode:
			return check(n.Ident, "")
		case *parse.VariableNode:
			if len(n.Ident) > 1 && n.Ident[0] == "$" {
				return check(n.Ident[1:], "")
			}
		case *parse.ChainNode:
			return errors.New("field chains such as (" + n.Node.String() + ")." + strings.Join(n.Field, ".") + " are not available")
		case *parse.IfNode:
			return walkBranch(walk, &n.BranchNode)
		case *parse.RangeNode:
			return walkBranch(walk, &n.BranchNode)
		case *parse.WithNode:
			return walkBranch(walk, &n.BranchNode)
		case *parse.TemplateNode:
			return walk(n.Pipe)
		}
		return nil
	}
	return walk(node)
}

func walkBranch(walk func(parse.Node) error, b *parse.BranchNode) error {
	for _, n := range []parse.Node{b.Pipe, b.List, b.ElseList} {
		if err := walk(n); err != nil {
			return err
		}
	}
	return nil
}

// cleanErr shortens a template error for an admin: "template: text:3: …" becomes "line 3: …".
func cleanErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "template: ")
	for _, p := range []string{"subject:", "text:", "html:"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return "line " + rest
		}
	}
	return s
}

func kindList() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// systemCtx reads as the notifier, whatever the caller's actor: templates and outbox are shared.
func systemCtx(ctx context.Context) context.Context {
	return opsdesk.WithActor(ctx, opsdesk.System("notify"))
}
