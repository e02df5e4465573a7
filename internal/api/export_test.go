package api

// Patterns lists the mux pattern of every route of the table, for the tests of package api_test.
func (a *API) Patterns() []string {
	out := make([]string, len(a.routes))
	for i, rt := range a.routes {
		out[i] = rt.Pattern()
	}
	return out
}
