package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestAccessGrants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newEnvFixture(t, db)
		ask := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email, Type: opsdesk.TypeAccessRequest,
			Severity: "minor", Category: "security", Subject: "SSH for the upgrade", Description: "n1 needs ssh"})
		incident := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.acme.ID, RequesterEmail: f.custA.Email,
			Severity: "minor", Category: "application", Subject: "Slow", Description: "slow"})
		globexAsk := file(t, db, admin, opsdesk.NewTicket{CustomerID: f.globex.ID, RequesterEmail: f.custB.Email, Type: opsdesk.TypeAccessRequest,
			Severity: "minor", Category: "security", Subject: "VPN", Description: "vpn"})
		prod := f.acmeProd.ID
		grant := func(user *opsdesk.User, kind opsdesk.AccessKind, ttl time.Duration, ticket string) opsdesk.AccessGrant {
			return opsdesk.AccessGrant{EnvironmentID: prod, UserID: user.ID, Kind: kind, Reason: "upgrade", ExpiresAt: f.now.Add(ttl), TicketKey: ticket}
		}
		bad := []struct {
			name  string
			ctx   context.Context
			g     opsdesk.AccessGrant
			kind  opsdesk.Kind
			field string
		}{
			{"by an agent", as(f.agent), grant(f.agent, opsdesk.AccessSSH, time.Hour, ""), opsdesk.KindForbidden, ""},
			{"to a customer user", as(f.ops), grant(f.custA, opsdesk.AccessSSH, time.Hour, ""), opsdesk.KindInvalid, "user"},
			{"already expired", as(f.ops), grant(f.agent, opsdesk.AccessSSH, -time.Minute, ""), opsdesk.KindInvalid, "expires_at"},
			{"no expiry", as(f.ops), opsdesk.AccessGrant{EnvironmentID: prod, UserID: f.agent.ID, Kind: opsdesk.AccessSSH, Reason: "r"}, opsdesk.KindInvalid, "expires_at"},
			{"unknown kind", as(f.ops), grant(f.agent, "root", time.Hour, ""), opsdesk.KindInvalid, "kind"},
			{"no reason", as(f.ops), opsdesk.AccessGrant{EnvironmentID: prod, UserID: f.agent.ID, Kind: opsdesk.AccessSSH, ExpiresAt: f.now.Add(time.Hour)}, opsdesk.KindInvalid, "reason"},
			{"ticket not an access request", as(f.ops), grant(f.agent, opsdesk.AccessSSH, time.Hour, incident.Key), opsdesk.KindInvalid, "ticket"},
			{"another customer's ticket", as(f.ops), grant(f.agent, opsdesk.AccessSSH, time.Hour, globexAsk.Key), opsdesk.KindInvalid, "ticket"},
		}
		for _, b := range bad {
			t.Run(b.name, func(t *testing.T) {
				err := db.GrantAccess(b.ctx, &b.g)
				wantKind(t, err, b.kind)
				if got := opsdesk.ErrorField(err); got != b.field {
					t.Errorf("field = %q, want %q (%v)", got, b.field, err)
				}
			})
		}
		short := grant(f.agent, opsdesk.AccessSSH, time.Hour, ask.Key)
		long := grant(f.n2, opsdesk.AccessDatabase, 30*24*time.Hour, "")
		for _, g := range []*opsdesk.AccessGrant{&short, &long} {
			if err := db.GrantAccess(as(f.ops), g); err != nil {
				t.Fatal(err)
			}
		}
		held, err := db.ListAccessGrants(as(f.agent), prod, false)
		if err != nil || len(held) != 2 || held[1].TicketKey != ask.Key || held[1].UserEmail != f.agent.Email || held[1].GrantedBy != f.ops.Email {
			t.Fatalf("held = %+v %v", held, err)
		}
		expired, err := db.ListExpiredGrants(as(f.agent), f.now)
		if err != nil || len(expired) != 0 {
			t.Fatalf("expired now = %+v %v", expired, err)
		}
		// One hour on, the short grant is expired (the boundary included) but not revoked.
		f.now = f.now.Add(time.Hour)
		expired, err = db.ListExpiredGrants(as(f.agent), f.now)
		if err != nil || len(expired) != 1 || expired[0].ID != short.ID {
			t.Fatalf("expired = %+v %v", expired, err)
		}
		if held, _ = db.ListAccessGrants(as(f.agent), prod, false); len(held) != 1 || held[0].ID != long.ID {
			t.Fatalf("held after expiry = %+v", held)
		}
		if all, _ := db.ListAccessGrants(as(f.agent), prod, true); len(all) != 2 {
			t.Fatalf("all grants = %+v", all)
		}
		_, err = db.ListExpiredGrants(as(f.custA), f.now)
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.RevokeAccess(as(f.custA), prod, short.ID, "")
		wantKind(t, err, opsdesk.KindForbidden)
		_, err = db.RevokeAccess(as(f.agent), f.acmePre.ID, short.ID, "")
		wantKind(t, err, opsdesk.KindNotFound)

		// The holder gives it back; it leaves the revocation list; revoking twice is a conflict.
		g, err := db.RevokeAccess(as(f.agent), prod, short.ID, " upgrade done ")
		if err != nil || g.RevokedAt != f.now || g.RevokedBy != f.agent.Email || g.RevokeReason != "upgrade done" {
			t.Fatalf("revoke = %+v %v", g, err)
		}
		if expired, _ = db.ListExpiredGrants(admin, f.now); len(expired) != 0 {
			t.Fatalf("expired after revoke = %+v", expired)
		}
		_, err = db.RevokeAccess(as(f.ops), prod, short.ID, "")
		wantKind(t, err, opsdesk.KindConflict)
		// A grant revoked before its expiry is no longer held.
		if _, err := db.RevokeAccess(as(f.ops), prod, long.ID, "left the team"); err != nil {
			t.Fatal(err)
		}
		if held, _ = db.ListAccessGrants(admin, prod, false); len(held) != 0 {
			t.Fatalf("held after revokes = %+v", held)
		}
		actions := auditActions(t, db, prod)
		var grants, revokes int
		for _, a := range actions {
			switch a {
			case "access_grant":
				grants++
			case "access_revoke":
				revokes++
			}
		}
		if grants != 2 || revokes != 2 {
			t.Fatalf("audit = %v", actions)
		}
	})
}
