package main

import (
	"fmt"
	"net/url"
	"testing"
)

// checkDemoPeople checks the vendor team and the customers: roles and levels with domains, four
// customers each with a contract's SLA terms, a calendar and its three environments, and exactly
// one preprod that is no longer a twin of its prod.
func checkDemoPeople(t *testing.T, s *demoSite) {
	t.Helper()
	var users struct {
		Items []struct {
			Role    string   `json:"role"`
			Level   *string  `json:"level"`
			Domains []string `json:"domains"`
		} `json:"items"`
	}
	s.api("/users", &users)
	roles := map[string]int{}
	for _, u := range users.Items {
		key := u.Role
		if u.Level != nil {
			key += " " + *u.Level
			if len(u.Domains) == 0 {
				t.Errorf("agent %s without domains", key)
			}
		}
		roles[key]++
	}
	for _, r := range []string{"admin", "ops_manager", "project_manager", "agent N1", "agent N2", "agent N3", "customer"} {
		if roles[r] == 0 {
			t.Errorf("no %s among the users: %v", r, roles)
		}
	}
	var custs struct {
		Items []struct {
			Code string `json:"code"`
			Lang string `json:"lang"`
		} `json:"items"`
	}
	s.api("/customers", &custs)
	langs, calendars, notTwins := map[string]int{}, map[string]bool{}, 0
	for _, c := range custs.Items {
		langs[c.Lang]++
		var terms struct {
			Calendar struct{ Name string } `json:"calendar"`
			Default  bool                  `json:"default_targets"`
			Targets  []any                 `json:"targets"`
		}
		s.api("/customers/"+c.Code+"/sla", &terms)
		if terms.Default || len(terms.Targets) == 0 {
			t.Errorf("%s has no contract targets: %+v", c.Code, terms)
		}
		calendars[terms.Calendar.Name] = true
		var envs struct {
			Items []struct{ Kind string } `json:"items"`
		}
		s.api("/customers/"+c.Code+"/environments", &envs)
		kinds := map[string]int{}
		for _, e := range envs.Items {
			kinds[e.Kind]++
		}
		if kinds["test"] != 1 || kinds["preprod"] != 1 || kinds["prod"] != 1 {
			t.Errorf("%s environments %v, want one of each kind", c.Code, kinds)
		}
		var twin struct {
			Twins bool `json:"twins"`
		}
		s.api("/customers/"+c.Code+"/twin-check", &twin)
		if !twin.Twins {
			notTwins++
		}
	}
	if len(custs.Items) != 4 || langs["fr"] == 0 || langs["en"] == 0 || len(calendars) < 3 || notTwins != 1 {
		t.Errorf("customers %d (languages %v), calendars %v, preprods not twins %d; want 4 in both languages on 3 calendars, one not twin",
			len(custs.Items), langs, calendars, notTwins)
	}
}

// demoTicket is what the checks read of a ticket.
type demoTicket struct {
	Number      string `json:"number"`
	Status      string `json:"status"`
	Severity    string `json:"severity"`
	Level       string `json:"level"`
	Channel     string `json:"channel"`
	ReopenCount int    `json:"reopen_count"`
}

// checkDemoTickets checks that the tickets cover every severity, status, channel and level, that
// some were reopened, paused and breached, and that they hold conversations, escalations and
// satisfaction answers.
func checkDemoTickets(t *testing.T, s *demoSite) {
	t.Helper()
	var all []demoTicket
	for cursor := ""; ; {
		var page struct {
			Items []demoTicket `json:"items"`
			Next  string       `json:"next_cursor"`
		}
		s.api("/tickets?limit=200&cursor="+url.QueryEscape(cursor), &page)
		all = append(all, page.Items...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	seen := map[string]int{}
	for _, tk := range all {
		for _, k := range []string{"status " + tk.Status, "severity " + tk.Severity, "channel " + tk.Channel, "level " + tk.Level} {
			seen[k]++
		}
		if tk.ReopenCount > 0 {
			seen["reopened"]++
		}
	}
	want := []string{"status new", "status open", "status waiting_customer", "status resolved", "status closed",
		"severity blocking", "severity major", "severity minor", "severity question", "severity evolution",
		"channel web", "channel mail", "channel api", "channel probe", "level N1", "level N2", "level N3", "reopened"}
	for _, k := range want {
		if seen[k] == 0 {
			t.Errorf("no ticket with %s among %d: %v", k, len(all), seen)
		}
	}
	// Clocks, conversation, history and survey, read ticket by ticket until each is found.
	found := map[string]bool{}
	kinds := []string{"breached", "paused", "conversation", "escalation", "internal note", "survey answer"}
	for _, tk := range all {
		if allFound(found, kinds) {
			break
		}
		var clocks struct {
			Clocks []struct {
				State  string `json:"state"`
				Paused int    `json:"paused_seconds"`
			} `json:"clocks"`
		}
		s.api("/tickets/"+tk.Number+"/sla", &clocks)
		for _, c := range clocks.Clocks {
			found["breached"] = found["breached"] || c.State == "breached"
			found["paused"] = found["paused"] || c.Paused > 0
		}
		var msgs struct {
			Items []struct{ Internal bool } `json:"items"`
		}
		s.api("/tickets/"+tk.Number+"/messages", &msgs)
		found["conversation"] = found["conversation"] || len(msgs.Items) >= 3
		var hist struct {
			Items []struct{ Kind string } `json:"items"`
		}
		s.api("/tickets/"+tk.Number+"/history", &hist)
		for _, e := range hist.Items {
			found["escalation"] = found["escalation"] || e.Kind == "escalation"
			found["internal note"] = found["internal note"] || e.Kind == "note"
		}
		var surveys struct {
			Items []struct {
				State  string `json:"state"`
				Rating *int   `json:"rating"`
			} `json:"items"`
		}
		s.api("/tickets/"+tk.Number+"/survey", &surveys)
		for _, sv := range surveys.Items {
			found["survey answer"] = found["survey answer"] || (sv.State == "answered" && sv.Rating != nil)
		}
	}
	for _, k := range kinds {
		if !found[k] {
			t.Errorf("no ticket with a %s", k)
		}
	}
}

func allFound(found map[string]bool, keys []string) bool {
	for _, k := range keys {
		if !found[k] {
			return false
		}
	}
	return true
}

// checkDemoAround checks the rest: articles and procedures, a problem with linked incidents,
// deployments, a failing probe, projects in each of the five phases, corrective actions.
func checkDemoAround(t *testing.T, s *demoSite) {
	t.Helper()
	var arts struct {
		Items []struct{ Kind, Status string } `json:"items"`
	}
	s.api("/articles", &arts)
	kinds := map[string]int{}
	for _, a := range arts.Items {
		kinds[a.Kind+" "+a.Status]++
	}
	if kinds["article published"] == 0 || kinds["procedure published"] == 0 {
		t.Errorf("knowledge base %v: want published articles and procedures", kinds)
	}
	var problems struct {
		Items []struct {
			ID      int64 `json:"id"`
			Tickets int   `json:"tickets"`
		} `json:"items"`
	}
	s.api("/problems", &problems)
	if len(problems.Items) == 0 || problems.Items[0].Tickets < 2 {
		t.Errorf("problems %+v: want one with two linked tickets or more", problems.Items)
	} else {
		var linked struct{ Items []any }
		s.api(fmt.Sprintf("/problems/%d/tickets", problems.Items[0].ID), &linked)
		if len(linked.Items) != problems.Items[0].Tickets {
			t.Errorf("problem lists %d tickets, says %d", len(linked.Items), problems.Items[0].Tickets)
		}
	}
	var custs struct {
		Items []struct{ Code string } `json:"items"`
	}
	s.api("/customers", &custs)
	deployed, failing := 0, 0
	for _, c := range custs.Items {
		var envs struct {
			Items []struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
			} `json:"items"`
		}
		s.api("/customers/"+c.Code+"/environments", &envs)
		for _, e := range envs.Items {
			var deps struct{ Items []any }
			s.api(fmt.Sprintf("/environments/%d/deployments", e.ID), &deps)
			deployed += len(deps.Items)
			if e.Kind != "prod" {
				continue
			}
			var av struct {
				Periods []struct {
					Period  string  `json:"period"`
					Checks  int     `json:"checks"`
					Percent float64 `json:"percent"`
				} `json:"periods"`
			}
			s.api(fmt.Sprintf("/environments/%d/availability", e.ID), &av)
			for _, p := range av.Periods {
				if p.Period == "7d" && p.Checks > 0 && p.Percent < 100 {
					failing++
				}
			}
		}
	}
	if deployed == 0 || failing == 0 {
		t.Errorf("deployments %d, production environments below 100 %% availability %d: want both", deployed, failing)
	}
	var projects struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	s.api("/projects", &projects)
	current := map[int]bool{}
	for _, p := range projects.Items {
		var phases struct {
			Items []struct{ Status string } `json:"items"`
		}
		s.api(fmt.Sprintf("/projects/%d/phases", p.ID), &phases)
		for i, ph := range phases.Items {
			if ph.Status != "closed" {
				current[i] = true
				break
			}
		}
	}
	for i := range 5 {
		if !current[i] {
			t.Errorf("no project in phase %d: %v", i+1, current)
		}
	}
	var actions struct {
		Items []struct{ Source, Status string } `json:"items"`
	}
	s.api("/actions", &actions)
	sources := map[string]int{}
	for _, a := range actions.Items {
		sources[a.Source]++
	}
	if sources["manual"] == 0 || len(sources) < 3 {
		t.Errorf("corrective actions by source %v: want manual ones and suggested ones of several sources", sources)
	}
}
