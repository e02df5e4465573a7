package api

import (
	"net/http"
)

// causeCode is an entry of the catalog of resolution causes.
type causeCode struct {
	Code     string `json:"code" doc:"what PATCH /tickets/{number} takes as cause"`
	LabelFR  string `json:"label_fr"`
	LabelEN  string `json:"label_en"`
	Position int    `json:"position" doc:"display order"`
	Active   bool   `json:"active" doc:"only active causes are accepted when resolving"`
}

// causeOperations describes the routes of resolution and closure (docs/followup.md).
func causeOperations() map[string]op {
	return map[string]op{
		"GET " + Prefix + "/cause-codes": {summary: "The catalog of resolution causes, in display order (staff); with all=true, retired ones too",
			query: []param{{"all", "true to list retired causes too"}}, resp: items[causeCode]{}},
	}
}

func (a *API) listCauseCodes(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.CauseCodes(r.Context(), r.URL.Query().Get("all") == "true")
	if err != nil {
		return err
	}
	out := items[causeCode]{Items: make([]causeCode, len(list))}
	for i, c := range list {
		out.Items[i] = causeCode{Code: c.Code, LabelFR: c.LabelFR, LabelEN: c.LabelEN, Position: c.Position, Active: c.Active}
	}
	return writeJSON(w, http.StatusOK, out)
}

// deref reads an optional string of a body, "" when absent.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
