package opsdesk

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ArticleKind tells a plain knowledge-base article from a troubleshooting procedure.
type ArticleKind string

// The article kinds. A procedure has, per language, ordered steps with the result expected of
// each, which an agent follows from a ticket.
const (
	ArticlePlain     ArticleKind = "article"
	ArticleProcedure ArticleKind = "procedure"
)

// Valid tells whether k is a known kind.
func (k ArticleKind) Valid() bool { return k == ArticlePlain || k == ArticleProcedure }

// ArticleStatus is where an article stands in the editorial workflow.
type ArticleStatus string

// The workflow: staff write drafts and submit them for review; ops managers and admins publish
// them, or send them back to draft; they also withdraw a published article to draft. Only a
// published article is ever shown to customers.
const (
	ArticleDraft     ArticleStatus = "draft"
	ArticleReview    ArticleStatus = "review"
	ArticlePublished ArticleStatus = "published"
)

// ArticleStatuses lists the statuses in workflow order.
var ArticleStatuses = []ArticleStatus{ArticleDraft, ArticleReview, ArticlePublished}

// Valid tells whether s is a known status.
func (s ArticleStatus) Valid() bool { return slices.Contains(ArticleStatuses, s) }

// articleMoves lists the legal moves and whether each needs a manager (ops manager or admin).
var articleMoves = map[[2]ArticleStatus]bool{
	{ArticleDraft, ArticleReview}:     false, // submit
	{ArticleReview, ArticleDraft}:     false, // send back (reject, or take back to edit)
	{ArticleReview, ArticlePublished}: true,  // publish
	{ArticlePublished, ArticleDraft}:  true,  // withdraw
}

// CheckArticleTransition tells whether actor a may move an article from one status to another:
// invalid for an unknown status, conflict for a move the workflow does not have, forbidden for
// a move that is not a's to make (customers make none; publishing and withdrawing are for ops
// managers and admins).
func CheckArticleTransition(a Actor, from, to ArticleStatus) error {
	if !to.Valid() {
		return Invalid("status", "%q is not an article status (draft, review, published)", to)
	}
	if from == to {
		return Conflict("status", "the article is already %s", to)
	}
	manager, ok := articleMoves[[2]ArticleStatus{from, to}]
	if !ok {
		return Conflict("status", "an article that is %s cannot become %s", from, to)
	}
	if !a.IsStaff() || (manager && !a.CanManage()) {
		if to == ArticlePublished {
			return Forbidden("only ops managers and admins publish articles")
		}
		if manager {
			return Forbidden("only ops managers and admins withdraw published articles")
		}
		return Forbidden("only the vendor's team edits the knowledge base")
	}
	return nil
}

// CheckArticleEdit tells whether actor a may change an article's content or settings in status
// s: staff change drafts and articles in review; a published article is changed by ops managers
// and admins only, since what customers read is reviewed first (an agent asks a manager to
// withdraw it to draft, edits it and submits it again).
func CheckArticleEdit(a Actor, s ArticleStatus) error {
	if !a.IsStaff() {
		return Forbidden("only the vendor's team edits the knowledge base")
	}
	if s == ArticlePublished && !a.CanManage() {
		return Forbidden("a published article is changed by ops managers and admins; ask one to withdraw it to draft")
	}
	return nil
}

// Visibility says who reads a published article.
type Visibility string

// The visibilities. Staff read every article whatever its visibility and status.
const (
	VisibleInternal   Visibility = "internal"   // staff only
	VisibleCustomers  Visibility = "customers"  // every customer user
	VisibleRestricted Visibility = "restricted" // the users of the customers listed
)

// Valid tells whether v is a known visibility.
func (v Visibility) Valid() bool {
	return v == VisibleInternal || v == VisibleCustomers || v == VisibleRestricted
}

// Article is a knowledge-base article or a troubleshooting procedure, in French and/or English.
type Article struct {
	ID          int64
	Kind        ArticleKind
	Status      ArticleStatus
	Visibility  Visibility
	Customers   []string // restricted: the codes of the customers who read it, sorted
	Category    string   // a ticket category code (a product domain), or ""
	Tags        []string // lower case, sorted
	Texts       []ArticleText
	CreatedByID int64
	CreatedBy   string // label of the author of the first version
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time // last publication; zero if never published
	Version     int64     // incremented by every change, for optimistic checks

	// Filled for staff on reads: how many tickets it was linked to, how many requests it deflected.
	LinkedTickets int
	Deflections   int
}

// Text returns the article's text in lang, or its other text when it has none in lang.
func (a *Article) Text(lang Lang) *ArticleText {
	for i := range a.Texts {
		if a.Texts[i].Lang == lang {
			return &a.Texts[i]
		}
	}
	if len(a.Texts) > 0 {
		return &a.Texts[0]
	}
	return nil
}

// VisibleTo tells whether actor a may read the article: staff read all; a customer reads a
// published article shown to every customer, or restricted to a list that holds theirs (code:
// the actor's customer code, which the Actor does not carry).
func (a *Article) VisibleTo(actor Actor, code string) bool {
	if actor.IsStaff() {
		return true
	}
	if !actor.IsCustomer() || a.Status != ArticlePublished {
		return false
	}
	return a.Visibility == VisibleCustomers || (a.Visibility == VisibleRestricted && slices.Contains(a.Customers, code))
}

// ArticleText is an article's title and Markdown body in one language, with a procedure's steps.
type ArticleText struct {
	Lang      Lang
	Title     string
	Body      string // Markdown; rendered and sanitised by the UI
	Steps     []Step // procedures only
	Revision  int    // the revision that wrote this text last
	UpdatedAt time.Time
	UpdatedBy string
}

// Step is one step of a troubleshooting procedure.
type Step struct {
	Position    int    `json:"position"` // 1, 2, …: set by the store from the order given
	Instruction string `json:"instruction"`
	Expected    string `json:"expected"` // the result to expect; "" if none
}

// Limits of article content.
const (
	MaxArticleTitle = 200
	MaxArticleBody  = 200_000
	MaxSteps        = 100
	MaxStepText     = 2000
	MaxTags         = 20
	MaxTag          = 40
)

// NewArticle is an article as first written; it starts as a draft.
type NewArticle struct {
	Kind       ArticleKind // "" means article
	Visibility Visibility  // "" means internal
	Customers  []string    // restricted: customer codes
	Category   string
	Tags       []string
	Texts      []ArticleText // one or two, of different languages
	Note       string        // kept with the first revision
}

// Validate checks and normalises a new article, naming the offending field.
func (n *NewArticle) Validate() error {
	if n.Kind == "" {
		n.Kind = ArticlePlain
	}
	if !n.Kind.Valid() {
		return Invalid("kind", "must be article or procedure")
	}
	if n.Visibility == "" {
		n.Visibility = VisibleInternal
	}
	var err error
	if n.Customers, err = CheckAudience(n.Visibility, n.Customers); err != nil {
		return err
	}
	n.Category = strings.ToLower(strings.TrimSpace(n.Category))
	if n.Tags, err = NormalizeTags(n.Tags); err != nil {
		return err
	}
	if len(n.Texts) == 0 {
		return Invalid("texts", "an article needs a French or an English text")
	}
	if len(n.Texts) > 2 {
		return Invalid("texts", "an article has at most a French and an English text")
	}
	for i := range n.Texts {
		t := &n.Texts[i]
		if i == 1 && t.Lang == n.Texts[0].Lang {
			return Invalid("lang", "the two texts must be in different languages")
		}
		if err := t.Validate(n.Kind); err != nil {
			return err
		}
	}
	n.Note = strings.TrimSpace(n.Note)
	return nil
}

// Validate checks one text of an article of kind k, trimming its title and numbering its steps.
func (t *ArticleText) Validate(k ArticleKind) error {
	if !t.Lang.Valid() {
		return Invalid("lang", "must be fr or en")
	}
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		return Invalid("title", "is required")
	}
	if utf8.RuneCountInString(t.Title) > MaxArticleTitle {
		return Invalid("title", "is longer than %d characters", MaxArticleTitle)
	}
	if len(t.Body) > MaxArticleBody {
		return Invalid("body", "is longer than 200,000 characters")
	}
	return CheckSteps(k, t.Steps)
}

// CheckSteps checks a procedure's steps (numbering them 1, 2, …); an article has none.
func CheckSteps(k ArticleKind, steps []Step) error {
	if len(steps) > 0 && k != ArticleProcedure {
		return Invalid("steps", "only procedures have steps")
	}
	if len(steps) > MaxSteps {
		return Invalid("steps", "a procedure has at most %d steps", MaxSteps)
	}
	for i := range steps {
		s := &steps[i]
		s.Position = i + 1
		s.Instruction = strings.TrimSpace(s.Instruction)
		s.Expected = strings.TrimSpace(s.Expected)
		if s.Instruction == "" {
			return Invalid("steps", "step %d needs an instruction", i+1)
		}
		if utf8.RuneCountInString(s.Instruction) > MaxStepText || utf8.RuneCountInString(s.Expected) > MaxStepText {
			return Invalid("steps", "step %d is longer than %d characters", i+1, MaxStepText)
		}
	}
	return nil
}

// CheckAudience checks the customer codes given with a visibility (upper-cased, de-duplicated,
// sorted): a restricted article names at least one, others none.
func CheckAudience(v Visibility, codes []string) ([]string, error) {
	if !v.Valid() {
		return nil, Invalid("visibility", "must be internal, customers or restricted")
	}
	var out []string
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	if v == VisibleRestricted && len(out) == 0 {
		return nil, Invalid("customers", "a restricted article names the customers who read it")
	}
	if v != VisibleRestricted && len(out) > 0 {
		return nil, Invalid("customers", "only a restricted article names customers")
	}
	return out, nil
}

// NormalizeTags trims, lower-cases, de-duplicates and sorts tags, and checks their number and
// length.
func NormalizeTags(tags []string) ([]string, error) {
	var out []string
	for _, t := range tags {
		t = strings.ToLower(strings.Join(strings.Fields(t), " "))
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTag || strings.ContainsAny(t, ",;") {
			return nil, Invalid("tags", "%q is not a tag: at most %d characters, no comma", t, MaxTag)
		}
		out = append(out, t)
	}
	if len(out) > MaxTags {
		return nil, Invalid("tags", "an article has at most %d tags", MaxTags)
	}
	slices.Sort(out)
	return out, nil
}

// ArticlePatch is a change of an article; nil fields are left as they are. Version is the
// version the editor read: the change fails with a conflict if someone changed it since.
type ArticlePatch struct {
	Version    int64
	Category   *string
	Tags       *[]string
	Visibility *Visibility
	Customers  *[]string // restricted: the customer codes; set with Visibility or alone
	Texts      []TextPatch
	RemoveLang Lang   // drops that language's text (an article keeps at least one)
	Note       string // kept with the revisions this change writes
}

// TextPatch changes, or adds, an article's text in one language; nil fields are left as they
// are (a new text needs a title). Steps, when set, replace the procedure's steps.
type TextPatch struct {
	Lang  Lang
	Title *string
	Body  *string
	Steps *[]Step
}

// Validate checks the parts of a patch that need no database.
func (p *ArticlePatch) Validate() error {
	if p.Version <= 0 {
		return Invalid("version", "is required: the version of the article you edited")
	}
	if p.Tags != nil {
		tags, err := NormalizeTags(*p.Tags)
		if err != nil {
			return err
		}
		p.Tags = &tags
	}
	if p.Category != nil {
		c := strings.ToLower(strings.TrimSpace(*p.Category))
		p.Category = &c
	}
	seen := map[Lang]bool{}
	for _, t := range p.Texts {
		if !t.Lang.Valid() {
			return Invalid("lang", "must be fr or en")
		}
		if seen[t.Lang] {
			return Invalid("lang", "the %s text is given twice", t.Lang)
		}
		seen[t.Lang] = true
	}
	if p.RemoveLang != "" && (!p.RemoveLang.Valid() || seen[p.RemoveLang]) {
		return Invalid("remove_lang", "must be fr or en, and not a text the change also sets")
	}
	p.Note = strings.TrimSpace(p.Note)
	return nil
}

// Empty tells whether the patch changes nothing.
func (p *ArticlePatch) Empty() bool {
	return p.Category == nil && p.Tags == nil && p.Visibility == nil && p.Customers == nil &&
		len(p.Texts) == 0 && p.RemoveLang == ""
}

// AuditFields returns the audited settings of an article (its texts have revisions instead).
func (a *Article) AuditFields() map[string]string {
	return map[string]string{
		"kind": string(a.Kind), "status": string(a.Status), "visibility": string(a.Visibility),
		"customers": strings.Join(a.Customers, ","), "category": a.Category, "tags": strings.Join(a.Tags, ","),
		"langs": strings.Join(a.Langs(), ","),
	}
}

// Langs lists the languages the article is written in.
func (a *Article) Langs() []string {
	ls := make([]string, len(a.Texts))
	for i, t := range a.Texts {
		ls[i] = string(t.Lang)
	}
	return ls
}

// ArticleAuditFields is the order in which article changes are listed.
var ArticleAuditFields = []string{"kind", "status", "visibility", "customers", "category", "tags", "langs"}

// ArticleFilter selects articles for lists; zero fields select everything the reader may see.
type ArticleFilter struct {
	Status   ArticleStatus // customers only ever list published articles
	Kind     ArticleKind
	Category string
	Tag      string
	Lang     Lang // articles that have a text in this language
	Limit    int  // default 50, at most 200
	Cursor   string
}

// Revision is one saved state of an article's text, with who saved it and why.
type Revision struct {
	ArticleID int64
	Number    int // 1, 2, … per article, over both languages
	Lang      Lang
	Title     string
	Body      string
	Steps     []Step
	AuthorID  int64
	Author    string
	Note      string
	CreatedAt time.Time
}

// DiffOp is the operation of one line of a diff.
type DiffOp string

// The diff operations.
const (
	DiffSame   DiffOp = "="
	DiffDelete DiffOp = "-"
	DiffInsert DiffOp = "+"
)

// DiffLine is one line of a line diff between two revisions.
type DiffLine struct {
	Op   DiffOp `json:"op"`
	Text string `json:"text"`
}

// ArticleLink records that an article was used on a ticket: which articles solve tickets.
type ArticleLink struct {
	TicketID  int64
	TicketKey string
	ArticleID int64
	Kind      ArticleKind
	Status    ArticleStatus
	Title     string // in the reader's language when the article has it
	LinkedBy  string
	LinkedAt  time.Time
}

// ArticleUsage counts what an article did: tickets it was linked to, requests it deflected.
type ArticleUsage struct {
	ArticleID     int64
	Title         string
	LinkedTickets int
	Deflections   int
}

// The ticket history events of the knowledge base (staff only).
const (
	EventArticleLinked   = "article_linked"
	EventArticleUnlinked = "article_unlinked"
	EventStepDone        = "procedure_step"
)

// SearchKind restricts a search to tickets or to articles; "" searches both.
type SearchKind string

// The kinds of search results.
const (
	SearchTickets  SearchKind = "ticket"
	SearchArticles SearchKind = "article"
)

// SearchQuery is a full-text search. Every word must match (accents and letter case ignored,
// French and English word forms matched by their stem); words too common to mean anything (the,
// le, de…) are ignored.
type SearchQuery struct {
	Text  string
	Kind  SearchKind
	Limit int // default 20, at most 100
}

// SearchHit is one ticket or article found, with its best matching passage.
type SearchHit struct {
	Kind      SearchKind
	ID        int64  // the ticket's or the article's id
	Key       string // tickets: the human number (OPS-1042)
	Status    string // the ticket's or the article's status
	Lang      Lang   // articles: the language of the text that matched
	MessageID int64  // tickets: the message the snippet comes from (the description for a subject match)
	Internal  bool   // staff only: the snippet is an internal note's, or customers do not read the article
	Title     Highlighted
	Snippet   Highlighted
	Rank      float64 // higher is better; compare only within one answer
}

// Highlighted is a text cut into fragments, the matched words marked, for the UI to render
// safely (escape each fragment; wrap matches in <mark>).
type Highlighted []Fragment

// Fragment is a piece of a Highlighted text.
type Fragment struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// String returns the plain text.
func (h Highlighted) String() string {
	var b strings.Builder
	for _, f := range h {
		b.WriteString(f.Text)
	}
	return b.String()
}

// Matches returns the matched fragments' texts, in order.
func (h Highlighted) Matches() []string {
	var out []string
	for _, f := range h {
		if f.Match {
			out = append(out, f.Text)
		}
	}
	return out
}
