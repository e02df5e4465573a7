package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestWebhookManagement(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		type hook struct {
			ID     int64
			URL    string
			Events []string
			Active bool
			Secret string
		}
		var h hook
		r := e.do("root", "POST", "/api/v1/webhooks", map[string]any{"url": "https://hooks.example/opsdesk",
			"events": []string{"ticket.closed", "ticket.created"}}).want(t, http.StatusCreated, &h)
		self := "/api/v1/webhooks/" + strconv.FormatInt(h.ID, 10)
		if !strings.HasPrefix(h.Secret, "whsec_") || !h.Active || len(h.Events) != 2 || r.header.Get("Location") != self {
			t.Fatalf("created = %+v, Location %q", h, r.header.Get("Location"))
		}
		var list struct{ Items []hook }
		r = e.do("root", "GET", "/api/v1/webhooks", nil).want(t, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].URL != h.URL || strings.Contains(string(r.body), h.Secret) {
			t.Fatalf("list = %s (the secret is shown only at creation)", r.body)
		}
		r = e.do("root", "GET", self, nil).want(t, http.StatusOK, nil)
		if strings.Contains(string(r.body), "secret") {
			t.Errorf("get shows the secret: %s", r.body)
		}
		var log struct{ Items []any }
		e.do("root", "GET", self+"/deliveries", nil).want(t, http.StatusOK, &log)
		if log.Items == nil || len(log.Items) != 0 {
			t.Errorf("deliveries of a new webhook = %v", log.Items)
		}

		e.do("root", "POST", "/api/v1/webhooks", map[string]any{"url": "file:///etc/passwd", "events": []string{"*"}}).problem(t, http.StatusUnprocessableEntity, "url")
		e.do("root", "POST", "/api/v1/webhooks", map[string]any{"url": "https://x.example", "events": []string{"ticket.exploded"}}).problem(t, http.StatusUnprocessableEntity, "events")
		e.do("root", "POST", "/api/v1/webhooks", map[string]any{"url": "https://x.example", "events": "*"}).problem(t, http.StatusBadRequest, "events")

		// Nobody but admins manages webhooks, not even ops managers.
		for _, user := range []string{"ops", "n1", "alice"} {
			e.do(user, "GET", "/api/v1/webhooks", nil).problem(t, http.StatusForbidden, "")
			e.do(user, "POST", "/api/v1/webhooks", map[string]any{"url": "https://evil.example", "events": []string{"*"}}).problem(t, http.StatusForbidden, "")
			e.do(user, "GET", self, nil).problem(t, http.StatusForbidden, "")
			e.do(user, "GET", self+"/deliveries", nil).problem(t, http.StatusForbidden, "")
			e.do(user, "DELETE", self, nil).problem(t, http.StatusForbidden, "")
		}

		e.do("root", "DELETE", self, nil).want(t, http.StatusNoContent, nil)
		e.do("root", "GET", self, nil).problem(t, http.StatusNotFound, "")
		e.do("root", "DELETE", self, nil).problem(t, http.StatusNotFound, "")
	})
}
