package store

// stopWords are the words a search ignores: the union of PostgreSQL's french and english stop
// lists (the Snowball project's, as shipped in tsearch_data/*.stop), accent-folded. PostgreSQL
// leaves these words out of its index, so a query must leave them out too, on both engines; a
// superset of both lists is required, since a word kept in the query but dropped from the index
// by one configuration would never match.
var stopWords = func() map[string]bool {
	m := make(map[string]bool, len(stopList))
	for _, w := range stopList {
		m[w] = true
	}
	return m
}()

var stopList = []string{
	"a", "about", "above", "after", "again", "against", "ai", "aie", "aient", "aies", "ait", "all",
	"am", "an", "and", "any", "are", "as", "at", "au", "aura", "aurai", "auraient", "aurais",
	"aurait", "auras", "aurez", "auriez", "aurions", "aurons", "auront", "aux", "avaient", "avais",
	"avait", "avec", "avez", "aviez", "avions", "avons", "ayant", "ayante", "ayantes", "ayants",
	"ayez", "ayons", "be", "because", "been", "before", "being", "below", "between", "both", "but",
	"by", "c", "can", "ce", "ces", "d", "dans", "de", "des", "did", "do", "does", "doing", "don",
	"down", "du", "during", "each", "elle", "en", "es", "est", "et", "etaient", "etais", "etait",
	"etant", "etante", "etantes", "etants", "ete", "etee", "etees", "etes", "etiez", "etions", "eu",
	"eue", "eues", "eumes", "eurent", "eus", "eusse", "eussent", "eusses", "eussiez", "eussions",
	"eut", "eutes", "eux", "few", "for", "from", "fumes", "furent", "further", "fus", "fusse",
	"fussent", "fusses", "fussiez", "fussions", "fut", "futes", "had", "has", "have", "having", "he",
	"her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "il", "in", "into",
	"is", "it", "its", "itself", "j", "je", "just", "l", "la", "le", "leur", "lui", "m", "ma", "mais",
	"me", "meme", "mes", "moi", "mon", "more", "most", "my", "myself", "n", "ne", "no", "nor", "nos",
	"not", "notre", "nous", "now", "of", "off", "on", "once", "only", "ont", "or", "other", "ou",
	"our", "ours", "ourselves", "out", "over", "own", "par", "pas", "pour", "qu", "que", "qui", "s",
	"sa", "same", "se", "sera", "serai", "seraient", "serais", "serait", "seras", "serez", "seriez",
	"serions", "serons", "seront", "ses", "she", "should", "so", "soient", "sois", "soit", "some",
	"sommes", "son", "sont", "soyez", "soyons", "such", "suis", "sur", "t", "ta", "te", "tes", "than",
	"that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
	"those", "through", "to", "toi", "ton", "too", "tu", "un", "under", "une", "until", "up", "very",
	"vos", "votre", "vous", "was", "we", "were", "what", "when", "where", "which", "while", "who",
	"whom", "why", "will", "with", "y", "you", "your", "yours", "yourself", "yourselves",
}
