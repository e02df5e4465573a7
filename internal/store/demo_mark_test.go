package store_test

import (
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestDemoMark(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		isDemo := func() bool {
			t.Helper()
			on, err := db.IsDemo(admin)
			if err != nil {
				t.Fatal(err)
			}
			return on
		}
		if isDemo() {
			t.Fatal("a new database is marked as a demo")
		}
		for _, u := range []*opsdesk.User{f.ops, f.agent, f.custA} {
			wantKind(t, db.MarkDemo(as(u)), opsdesk.KindForbidden)
		}
		if isDemo() {
			t.Fatal("a refused mark was recorded")
		}
		for range 2 { // marking again is harmless
			if err := db.MarkDemo(as(f.adm)); err != nil {
				t.Fatal(err)
			}
		}
		if !isDemo() {
			t.Fatal("the mark was not recorded")
		}
	})
}
