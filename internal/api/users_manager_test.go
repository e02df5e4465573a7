package api_test

import (
	"net/http"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestUserManagerAPI: a staff user created with a manager shows it in the users JSON; an unknown
// address or a customer's user as manager is refused on field manager.
func TestUserManagerAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		var u struct {
			ID      int64
			Manager *string
		}
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "nora@vendor.example", "role": "agent", "level": "N1",
			"manager": "nobody@vendor.example"}).problem(t, http.StatusUnprocessableEntity, "manager")
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "nora@vendor.example", "role": "agent", "level": "N1",
			"manager": "alice@acme.example"}).problem(t, http.StatusUnprocessableEntity, "manager")
		e.do("ops", "POST", "/api/v1/users", map[string]any{"email": "nora@vendor.example", "role": "agent", "level": "N1",
			"manager": e.users["ops"].Email}).want(t, http.StatusCreated, &u)
		if u.Manager == nil || *u.Manager != e.users["ops"].Email {
			t.Fatalf("created manager = %v; want %s", u.Manager, e.users["ops"].Email)
		}
		var n1 struct{ Manager *string }
		e.do("n1", "GET", "/api/v1/me", nil).want(t, http.StatusOK, &n1)
		if n1.Manager != nil {
			t.Errorf("a user without manager shows %q", *n1.Manager)
		}
	})
}
