package store

import (
	"context"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// SaveGroup creates or updates a support group and replaces its members, who must be agents of
// the group's level. Admins and ops managers. Errors: invalid, forbidden.
func (d *DB) SaveGroup(ctx context.Context, g *opsdesk.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	if !opsdesk.ActorFrom(ctx).CanManage() {
		return opsdesk.Forbidden("only admins and ops managers manage groups")
	}
	return d.inTx(ctx, "store.SaveGroup", func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO support_groups (code, name, level) VALUES (?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level`, g.Code, g.Name, g.Level); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM group_members WHERE group_code = ?`, g.Code); err != nil {
			return err
		}
		for _, id := range g.MemberIDs {
			u, err := tx.userByID(ctx, id)
			if err != nil {
				return opsdesk.Invalid("members", "no user %d", id)
			}
			if u.Role != opsdesk.RoleAgent || u.Level != g.Level {
				return opsdesk.Invalid("members", "%s is not an agent at %s", u.Email, g.Level)
			}
			if _, err := tx.exec(ctx, `INSERT INTO group_members (group_code, user_id) VALUES (?, ?)`, g.Code, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Groups lists the support groups with their members, by code.
func (d *DB) Groups(ctx context.Context) ([]*opsdesk.Group, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team sees groups")
	}
	groups, err := collect(func(sc scanner) (*opsdesk.Group, error) {
		var g opsdesk.Group
		return &g, sc.Scan(&g.Code, &g.Name, &g.Level)
	})(d.query(ctx, `SELECT code, name, level FROM support_groups ORDER BY code`))
	if err != nil {
		return nil, wrapErr("store.Groups", err)
	}
	byCode := map[string]*opsdesk.Group{}
	for _, g := range groups {
		byCode[g.Code] = g
	}
	rows, err := d.query(ctx, `SELECT group_code, user_id FROM group_members ORDER BY user_id`)
	if err != nil {
		return nil, wrapErr("store.Groups", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, wrapErr("store.Groups", err)
		}
		if g := byCode[code]; g != nil {
			g.MemberIDs = append(g.MemberIDs, id)
		}
	}
	return groups, wrapErr("store.Groups", rows.Err())
}
