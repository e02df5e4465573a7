package store

// SetIndicatorShapes makes Indicators take one of its equivalent query shapes whatever the
// sizes — the p90 read from the index when fewDurations is 0, the articles driven by the
// tickets ("tickets") or by the links ("links") — so that tests check every shape. It returns
// the function that restores the defaults.
func SetIndicatorShapes(few int, knowledge string) (restore func()) {
	oldFew, oldKnowledge := fewDurations, knowledgeShape
	fewDurations, knowledgeShape = few, knowledge
	return func() { fewDurations, knowledgeShape = oldFew, oldKnowledge }
}

// AfterCommit is afterCommit, for the migration tests.
var AfterCommit = afterCommit
