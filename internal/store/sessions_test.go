package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		secret, s, err := db.CreateSession(ctx, f.agent.ID, time.Hour, "Firefox", "10.0.0.1")
		if err != nil || s.CSRFToken == "" || secret == s.CSRFToken {
			t.Fatalf("create: %+v %v", s, err)
		}
		var stored string
		db.SQL().QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored)
		if stored == secret {
			t.Fatal("the session secret is stored in clear")
		}
		got, u, err := db.SessionByToken(ctx, secret, time.Hour)
		if err != nil || u.ID != f.agent.ID || got.CSRFToken != s.CSRFToken {
			t.Fatalf("lookup: %+v %+v %v", got, u, err)
		}
		// Sliding expiry: used after 50 minutes, the session lives an hour from then.
		now = now.Add(50 * time.Minute)
		if _, _, err := db.SessionByToken(ctx, secret, time.Hour); err != nil {
			t.Fatal(err)
		}
		now = now.Add(59 * time.Minute)
		if _, _, err := db.SessionByToken(ctx, secret, time.Hour); err != nil {
			t.Fatalf("session used 59 minutes ago expired: %v", err)
		}
		now = now.Add(61 * time.Minute)
		_, _, err = db.SessionByToken(ctx, secret, time.Hour)
		wantKind(t, err, opsdesk.KindAuth)
		_, _, err = db.SessionByToken(ctx, "forged", time.Hour)
		wantKind(t, err, opsdesk.KindAuth)

		secret, s, _ = db.CreateSession(ctx, f.agent.ID, time.Hour, "", "")
		if err := db.DeleteSession(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionByToken(ctx, secret, time.Hour)
		wantKind(t, err, opsdesk.KindAuth)

		// Disabling a user ends their sessions.
		secret, _, _ = db.CreateSession(ctx, f.agent.ID, time.Hour, "", "")
		u2 := *f.agent
		u2.Disabled = true
		if err := db.UpdateUser(admin, &u2); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.SessionByToken(ctx, secret, time.Hour)
		wantKind(t, err, opsdesk.KindAuth)
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		secret, tk, err := db.CreateAPIToken(as(f.agent), f.agent.ID, "ci", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		u, got, err := db.UserByAPIToken(ctx, secret)
		if err != nil || u.ID != f.agent.ID || got.ID != tk.ID {
			t.Fatalf("lookup: %v", err)
		}
		flipped := secret[:len(secret)-1] + map[bool]string{true: "B", false: "A"}[secret[len(secret)-1] == 'A']
		for _, bad := range []string{"", flipped, "odk_short", secret + "x"} {
			if _, _, err := db.UserByAPIToken(ctx, bad); opsdesk.ErrorKind(err) != opsdesk.KindAuth {
				t.Errorf("token %q accepted: %v", bad, err)
			}
		}
		_, _, err = db.CreateAPIToken(as(f.agent), f.ops.ID, "", time.Time{})
		wantKind(t, err, opsdesk.KindForbidden)
		list, err := db.ListAPITokens(as(f.agent), f.agent.ID)
		if err != nil || len(list) != 1 || list[0].Prefix == "" || len(list[0].Prefix) >= len(secret) {
			t.Fatalf("list = %+v, %v", list, err)
		}
		wantKind(t, db.RevokeAPIToken(as(f.custA), tk.ID), opsdesk.KindNotFound)
		if err := db.RevokeAPIToken(as(f.agent), tk.ID); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.UserByAPIToken(ctx, secret)
		wantKind(t, err, opsdesk.KindAuth)

		// Expired tokens stop working.
		now := time.Now()
		secret, _, _ = db.CreateAPIToken(admin, f.agent.ID, "short", now.Add(time.Hour))
		db.Now = func() time.Time { return now.Add(2 * time.Hour) }
		_, _, err = db.UserByAPIToken(ctx, secret)
		wantKind(t, err, opsdesk.KindAuth)
	})
}
