package api

import (
	"net/http"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
)

// slaOperations describes the service-level routes: ticket clocks, workarounds, business
// calendars, contract terms and the monthly compliance report.
func slaOperations() map[string]op {
	tk := Prefix + "/tickets/{number}"
	cal := Prefix + "/calendars"
	calQuery := []param{
		{"name", "the calendar's name; overrides the document's \"name\""},
		{"default", "true: make it the default calendar (the one of every contract that names none)"},
	}
	return map[string]op{
		"GET " + tk + "/sla": {summary: "The ticket's SLA clocks (take charge, work around, resolve), evaluated now; " +
			"durations in business seconds, instants RFC 3339 in UTC", resp: ticketClocks{}},
		"POST " + tk + "/workaround": {summary: "Record a workaround (staff): stops the work-around clock and posts the text " +
			"to the customer as a public message, which the answer is", body: newWorkaround{}, status: http.StatusCreated, resp: apijson.Message{}},

		"GET " + cal: {summary: "List the business calendars (staff)", resp: items[calendarInfo]{}},
		"POST " + cal: {summary: "Create a business calendar from its JSON form, as GET /calendars/{id} gives it " +
			"(admins and ops managers); a name already taken is a conflict (409): PUT replaces. An invalid calendar is " +
			"400, naming the offending part in field (timezone, hours.mon[0], holidays[1], …)",
			query: calQuery, bodySchema: "CalendarForm", status: http.StatusCreated, resp: calendarInfo{}},
		"GET " + cal + "/{id}": {summary: "A business calendar in its JSON form, named, exactly as exported: POST, PUT and " +
			"opsdesk sla deadline --calendar read it back (staff)", respSchema: "CalendarForm"},
		"PUT " + cal + "/{id}": {summary: "Replace a business calendar's definition from its JSON form; the name is ?name=, " +
			"else the document's, else unchanged (admins and ops managers); open tickets' clocks are recomputed",
			query: calQuery, bodySchema: "CalendarForm", resp: calendarInfo{}},
		"DELETE " + cal + "/{id}": {summary: "Delete a business calendar that no contract uses and that is not the default " +
			"(admins and ops managers); otherwise 409", status: http.StatusNoContent},

		"GET " + Prefix + "/customers/{code}/sla": {summary: "The customer's contract SLA: its calendar and its targets " +
			"per severity and environment kind, in business seconds (null: no commitment)", resp: contractSLA{}},
		"PUT " + Prefix + "/customers/{code}/sla": {summary: "Set the contract's calendar (by id, 0: the default calendar) " +
			"and replace all its targets, in business seconds (admins and ops managers); targets: [] restores the defaults. " +
			"Takes the shape GET answers", body: contractSLAUpdate{}, resp: contractSLA{}},

		"GET " + Prefix + "/reports/sla": {summary: "The monthly SLA compliance report per customer, severity and clock: " +
			"a clock counts in the month of its outcome (met or breached), read in its customer's calendar zone. JSON, " +
			"or CSV with Accept: text/csv or format=csv (columns month, customer_code, customer_name, severity, clock, " +
			"with_target, met, breached, compliance_pct). Customers get their own organisation's lines only",
			query: []param{{"month", "required: the month, YYYY-MM"}, {"customer", "customer code (default: every customer the caller may see)"},
				{"format", "json (default) or csv; overrides Accept"}},
			resp: slaReport{}, csv: true},
	}
}

// handSchemas are the JSON schemas no Go type of the API describes: the calendar's JSON form is
// sla.Calendar's own (docs/sla.md, "The JSON form").
func handSchemas() map[string]map[string]any {
	hhmm := map[string]any{"type": "string", "pattern": `^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$`}
	window := map[string]any{"type": "array", "prefixItems": []any{hhmm, hhmm}, "minItems": 2, "maxItems": 2,
		"description": `["open", "close"], local wall clock, half-open; "24:00" only as a close`}
	days := map[string]any{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		days[d] = map[string]any{"type": "array", "items": window}
	}
	return map[string]map[string]any{
		"CalendarForm": {
			"type":                 "object",
			"description":          "A business calendar's JSON form (docs/sla.md). Unknown keys are refused.",
			"required":             []string{"timezone"},
			"additionalProperties": false,
			"properties": map[string]any{
				"name":     map[string]any{"type": "string", "description": "a label for admins"},
				"timezone": map[string]any{"type": "string", "description": `IANA time zone, e.g. "Europe/Paris"; "" and "Local" are refused`},
				"hours": map[string]any{"type": "object", "properties": days, "additionalProperties": false,
					"description": "weekday → opening windows; a missing day or [] is closed; windows must not overlap"},
				"holidays": map[string]any{"type": "array", "items": map[string]any{"type": "string", "format": "date"},
					"description": "closed local dates, YYYY-MM-DD"},
				"holiday_rules": map[string]any{"type": "array", "items": map[string]any{"type": "string"},
					"description": "closed days every year: fixed:MM-DD, good_friday, easter_monday, ascension, whit_monday, easter_offset:N"},
				"always_open": map[string]any{"type": "boolean", "description": "24/7: every instant counts; hours and holidays are ignored"},
			},
		},
	}
}
