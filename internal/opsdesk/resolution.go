package opsdesk

// Resolution is what an agent records when resolving a ticket: what was done, in words the
// customer reads, and the cause code (from the admin-editable catalog) that the indicators count.
type Resolution struct {
	Summary string // required; public: it goes to the requester with the resolution
	Cause   string // required; a cause code of the catalog
	// DraftArticle asks for a draft knowledge-base article prefilled from the ticket, created and
	// linked to the ticket in the same transaction (how the rule "blocking tickets feed the
	// knowledge base" is met when no article is linked yet).
	DraftArticle bool
}
