package api

import "net/http"

// probeOperations describes the health-probe routes (docs/probes.md, "API"). Another
// customer's environment or probe is 404; their own environment's probes while the vendor
// does not show availability are 403; only admins and ops managers configure probes (403).
func probeOperations() map[string]op {
	e := Prefix + "/environments/{id}"
	p := Prefix + "/probes/{id}"
	return map[string]op{
		"GET " + e + "/probes": {summary: "The environment's health probes by name, with their state (customers: when the " +
			"vendor shows availability, else 403; without URL, body check and incident)", resp: items[probe]{}},
		"POST " + e + "/probes": {summary: "Add a health probe (admins and ops managers); its first check is due at once; " +
			"a name already in the environment is 409", body: newProbe{}, status: http.StatusCreated, resp: probe{}},
		"GET " + p: {summary: "Read a probe (read rights as its environment's probe list)", resp: probe{}},
		"PATCH " + p: {summary: "Change a probe's configuration (admins and ops managers); its state and incident are kept",
			body: probePatch{}, resp: probe{}},
		"GET " + p + "/results": {summary: "The probe's check results, newest first, one page at a time",
			query: []param{{"limit", "page size, 1 to 1000 (default 100)"}, {"before", "RFC 3339 instant: results strictly before it"},
				{"cursor", "next_cursor of the previous page"}}, resp: probeResults{}},
		"GET " + e + "/availability": {summary: "Share of successful checks over 24 h, 7 days and 30 days ending now, of every " +
			"probe of the environment or of one (customers: when the vendor shows availability, else 403)",
			query: []param{{"probe", "a probe id of the environment (default: all its probes)"}}, resp: availability{}},
	}
}
