package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestDemoBanner checks that every page of a database marked as a demo says so, in the
// visitor's language, and that other databases show no banner.
func TestDemoBanner(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := startSite(t, db)
	c := s.client()
	banner := func(lang string) string {
		t.Helper()
		c.header.Set("Accept-Language", lang)
		p := c.get("/login").want(t, http.StatusOK)
		ns := byClass(p.doc, "demo-banner")
		if len(ns) == 0 {
			return ""
		}
		return textOf(ns[0])
	}
	if b := banner("en"); b != "" {
		t.Fatalf("banner before the demo mark: %q", b)
	}
	if err := db.MarkDemo(opsdesk.WithActor(context.Background(), opsdesk.System("test"))); err != nil {
		t.Fatal(err)
	}
	if b := banner("en"); !strings.HasPrefix(b, "Demo data") {
		t.Errorf("English banner = %q", b)
	}
	if b := banner("fr"); !strings.HasPrefix(b, "Données de démonstration") {
		t.Errorf("French banner = %q", b)
	}
}
