package store_test

import (
	"context"
	"testing"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestSeedAndRouting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for range 2 { // seeding twice changes nothing
			if err := db.SeedDefaults(ctx); err != nil {
				t.Fatal(err)
			}
		}
		sevs, err := db.Severities(ctx)
		if err != nil || len(sevs) != 5 || sevs[0].Code != "blocking" || !sevs[0].RequiresImpact || sevs[4].Code != "evolution" || sevs[0].Label(opsdesk.LangFR) != "Anomalie bloquante" {
			t.Fatalf("severities = %+v, %v", sevs, err)
		}
		f := newFixture(t, db)
		n3 := &opsdesk.User{Email: "n3@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN3}
		db.CreateUser(admin, n3, "")
		g := &opsdesk.Group{Code: "DB-Experts", Name: "Database experts", Level: opsdesk.LevelN3, MemberIDs: []int64{n3.ID}}
		if err := db.SaveGroup(as(f.ops), g); err != nil {
			t.Fatal(err)
		}
		wantKind(t, db.SaveGroup(as(f.ops), &opsdesk.Group{Code: "bad", Name: "x", Level: "N3", MemberIDs: []int64{f.agent.ID}}), opsdesk.KindInvalid)
		wantKind(t, db.SaveGroup(as(f.agent), g), opsdesk.KindForbidden)
		groups, _ := db.Groups(as(f.agent))
		if len(groups) != 1 || groups[0].Code != "db-experts" || len(groups[0].MemberIDs) != 1 {
			t.Fatalf("groups = %+v", groups)
		}
		cat := &opsdesk.Category{Code: "database", LabelFR: "Base de données", LabelEN: "Database", Level: opsdesk.LevelN2, GroupCode: "db-experts", Active: true}
		wantKind(t, db.SaveCategory(admin, cat), opsdesk.KindInvalid) // group at N3, category at N2
		cat.Level = opsdesk.LevelN3
		if err := db.SaveCategory(admin, cat); err != nil {
			t.Fatal(err)
		}
		tk, err := db.CreateTicket(as(f.custA), &opsdesk.NewTicket{Severity: "major", Category: "database", Subject: "slow queries", Description: "d"})
		if err != nil || tk.Level != opsdesk.LevelN3 || tk.GroupCode != "db-experts" {
			t.Fatalf("routed ticket = %+v, %v", tk, err)
		}
		if err := db.SaveSeverity(admin, &opsdesk.Severity{Code: "blocking", Rank: 2, LabelFR: "x", LabelEN: "x"}); opsdesk.ErrorKind(err) != opsdesk.KindConflict {
			t.Errorf("rank clash: %v", err)
		}
	})
}
