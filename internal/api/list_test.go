package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

type page struct {
	Items      []apijson.Ticket `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// walk reads every page of a list, returning the numbers in order and the page count.
func (e *env) walk(user, query string) ([]string, int) {
	e.t.Helper()
	var numbers []string
	cursor, pages := "", 0
	for {
		q, _ := url.ParseQuery(query)
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var p page
		e.do(user, "GET", "/api/v1/tickets?"+q.Encode(), nil).want(e.t, http.StatusOK, &p)
		pages++
		for _, t := range p.Items {
			numbers = append(numbers, t.Number)
		}
		if p.NextCursor == nil {
			return numbers, pages
		}
		cursor = *p.NextCursor
		if pages > 50 {
			e.t.Fatal("paging does not end")
		}
	}
}

func TestListPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var acme, all []string
		for i := range 7 {
			tk := e.file("alice", map[string]any{"severity": []string{"minor", "major"}[i%2], "environment": "prod"})
			acme = append(acme, tk.Number)
		}
		for range 2 {
			e.file("bob", nil)
		}
		all = append(all, acme...)
		all = append(all, "OPS-1008", "OPS-1009")

		got, pages := e.walk("n1", "limit=3&sort=number")
		if !slices.Equal(got, all) || pages != 3 {
			t.Fatalf("ascending by number in pages of 3: %v (%d pages), want %v", got, pages, all)
		}
		got, _ = e.walk("n1", "limit=4&sort=-number")
		rev := slices.Clone(all)
		slices.Reverse(rev)
		if !slices.Equal(got, rev) {
			t.Fatalf("descending by number: %v", got)
		}
		got, pages = e.walk("n1", "limit=2") // default sort: last updated first
		slices.Sort(got)
		if !slices.Equal(got, all) || pages != 5 {
			t.Fatalf("default sort read %v in %d pages", got, pages)
		}
		got, _ = e.walk("alice", "limit=2&sort=created")
		if !slices.Equal(got, acme) {
			t.Fatalf("a customer pages through %v, want only their own %v", got, acme)
		}
		got, _ = e.walk("n1", "limit=2&sort=number&customer=ACME&severity=major&environment=prod")
		if !slices.Equal(got, []string{"OPS-1002", "OPS-1004", "OPS-1006"}) {
			t.Fatalf("filtered by customer, severity and environment: %v", got)
		}

		e.do("n1", "POST", "/api/v1/tickets/OPS-1003/take", nil).want(t, http.StatusOK, nil)
		filters := []struct {
			user, query string
			want        []string
		}{
			{"n1", "assignee=me", []string{"OPS-1003"}},
			{"n1", "assignee=n1@vendor.example", []string{"OPS-1003"}},
			{"alice", "assignee=n1@vendor.example", []string{"OPS-1003"}},
			{"n2", "assignee=me", nil},
			{"n1", "status=open", []string{"OPS-1003"}},
			{"n1", "status=open,new&customer=GLOBEX", []string{"OPS-1008", "OPS-1009"}},
			{"n1", "q=OPS-1005", []string{"OPS-1005"}},
			{"n1", "q=export&customer=GLOBEX", []string{"OPS-1008", "OPS-1009"}},
			{"n1", "level=n1&severity=major,minor&status=new&customer=GLOBEX", []string{"OPS-1008", "OPS-1009"}},
			{"bob", "assignee=none", []string{"OPS-1008", "OPS-1009"}},
		}
		for _, f := range filters {
			got, _ := e.walk(f.user, f.query+"&sort=number")
			if !slices.Equal(got, f.want) {
				t.Errorf("%s ?%s = %v, want %v", f.user, f.query, got, f.want)
			}
		}
		got, _ = e.walk("n1", "assignee=none&sort=number&customer=ACME")
		if len(got) != 6 || slices.Contains(got, "OPS-1003") {
			t.Errorf("unassigned ACME tickets = %v", got)
		}
		// A customer cannot name another organisation's user in a filter.
		e.do("bob", "GET", "/api/v1/tickets?assignee=alice@acme.example", nil).problem(t, http.StatusUnprocessableEntity, "assignee")
	})
}
