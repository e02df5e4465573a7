package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// TwinCheck lists every difference between a customer's preprod environments and their prod
// twins: component versions, OS versions per server role, server count per role. An empty list
// means the environments are twins (or the customer has neither preprod nor prod). Staff only:
// it spans servers and versions, which the vendor may not show the customer.
//
// Retired environments are left out. Pairing: when one side has a single environment, it is
// compared with every environment of the other side (the usual case: one preprod for one or
// several prods). Otherwise preprods and prods are paired in name order, and an environment left
// without a counterpart is reported as missing_twin.
//
// Errors: forbidden (customers), not found (customer).
func (d *DB) TwinCheck(ctx context.Context, customerID int64) ([]opsdesk.TwinDiff, error) {
	a := opsdesk.ActorFrom(ctx)
	if !canSeeCustomer(a, customerID) {
		return nil, opsdesk.NotFound("no customer %d", customerID)
	}
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("the twin check is for the vendor's team")
	}
	envs, err := d.ListEnvironments(ctx, customerID)
	if err != nil {
		return nil, err
	}
	var pre, prod []*opsdesk.Environment
	for _, e := range envs { // ListEnvironments sorts by kind, then name
		switch {
		case e.Status == opsdesk.EnvRetired:
		case e.Kind == opsdesk.EnvPreprod:
			pre = append(pre, e)
		case e.Kind == opsdesk.EnvProd:
			prod = append(prod, e)
		}
	}
	var out []opsdesk.TwinDiff
	if len(pre) == 0 || len(prod) == 0 {
		return out, nil // nothing to compare; the promotion path reports a missing preprod
	}
	snaps := map[int64]*twinSnapshot{}
	snap := func(e *opsdesk.Environment) (*twinSnapshot, error) {
		if s, ok := snaps[e.ID]; ok {
			return s, nil
		}
		s, err := d.twinSnapshot(ctx, e.ID)
		snaps[e.ID] = s
		return s, err
	}
	for _, p := range twinPairs(pre, prod) {
		if p[0] == nil || p[1] == nil {
			diff := opsdesk.TwinDiff{Kind: opsdesk.TwinMissing}
			if p[0] != nil {
				diff.PreprodID, diff.PreprodName = p[0].ID, p[0].Name
			} else {
				diff.ProdID, diff.ProdName = p[1].ID, p[1].Name
			}
			out = append(out, diff)
			continue
		}
		sa, err := snap(p[0])
		if err != nil {
			return nil, wrapErr("store.TwinCheck", err)
		}
		sb, err := snap(p[1])
		if err != nil {
			return nil, wrapErr("store.TwinCheck", err)
		}
		for _, diff := range compareTwins(sa, sb) {
			diff.PreprodID, diff.PreprodName, diff.ProdID, diff.ProdName = p[0].ID, p[0].Name, p[1].ID, p[1].Name
			out = append(out, diff)
		}
	}
	return out, nil
}

// twinPairs pairs preprods with prods (see TwinCheck); a nil side is a missing twin.
func twinPairs(pre, prod []*opsdesk.Environment) [][2]*opsdesk.Environment {
	var out [][2]*opsdesk.Environment
	switch {
	case len(pre) == 1:
		for _, p := range prod {
			out = append(out, [2]*opsdesk.Environment{pre[0], p})
		}
	case len(prod) == 1:
		for _, p := range pre {
			out = append(out, [2]*opsdesk.Environment{p, prod[0]})
		}
	default:
		for i := range max(len(pre), len(prod)) {
			var p [2]*opsdesk.Environment
			if i < len(pre) {
				p[0] = pre[i]
			}
			if i < len(prod) {
				p[1] = prod[i]
			}
			out = append(out, p)
		}
	}
	return out
}

// twinSnapshot is what the twin check compares of one environment.
type twinSnapshot struct {
	versions map[string]string   // component → version
	count    map[string]int      // server role → number of servers
	os       map[string][]string // server role → sorted "OS version" of its servers
}

func (d *DB) twinSnapshot(ctx context.Context, envID int64) (*twinSnapshot, error) {
	s := &twinSnapshot{versions: map[string]string{}, count: map[string]int{}, os: map[string][]string{}}
	cs, err := collect(scanComponent)(d.query(ctx, `SELECT `+componentColumns+` FROM env_components WHERE environment_id = ?`, envID))
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		s.versions[c.Name] = c.Version
	}
	servers, err := collect(scanServer)(d.query(ctx, `SELECT `+serverColumns+` FROM env_servers WHERE environment_id = ?`, envID))
	if err != nil {
		return nil, err
	}
	for _, sv := range servers {
		r := string(sv.Role)
		s.count[r]++
		s.os[r] = append(s.os[r], strings.TrimSpace(sv.OS+" "+sv.OSVersion))
	}
	for _, l := range s.os {
		slices.Sort(l)
	}
	return s, nil
}

// compareTwins lists the differences between a preprod snapshot a and a prod snapshot b, in a
// stable order: components by name, then server counts and OS versions by role.
func compareTwins(a, b *twinSnapshot) []opsdesk.TwinDiff {
	var out []opsdesk.TwinDiff
	for _, c := range unionKeys(a.versions, b.versions) {
		if a.versions[c] != b.versions[c] {
			out = append(out, opsdesk.TwinDiff{Kind: opsdesk.TwinComponentVersion, Subject: c, Preprod: a.versions[c], Prod: b.versions[c]})
		}
	}
	for _, r := range unionKeys(a.count, b.count) {
		if a.count[r] != b.count[r] {
			out = append(out, opsdesk.TwinDiff{Kind: opsdesk.TwinServerCount, Subject: r,
				Preprod: strconv.Itoa(a.count[r]), Prod: strconv.Itoa(b.count[r])})
		}
	}
	for _, r := range unionKeys(a.os, b.os) {
		// Compare the distinct OS versions per role: server counts are reported above.
		x, y := slices.Compact(slices.Clone(a.os[r])), slices.Compact(slices.Clone(b.os[r]))
		if len(x) > 0 && len(y) > 0 && !slices.Equal(x, y) {
			out = append(out, opsdesk.TwinDiff{Kind: opsdesk.TwinOSVersion, Subject: r,
				Preprod: strings.Join(x, ", "), Prod: strings.Join(y, ", ")})
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	var ks []string
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}
