package store

import (
	"context"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ProbeIncidentKeys gives the ticket numbers of the probes' incidents (current or last outage),
// by ticket id: what the probe lists link to. Staff only — customers are not shown a probe's
// incident — so a customer gets an empty map. Errors: none but the database's.
func (d *DB) ProbeIncidentKeys(ctx context.Context, ps ...*opsdesk.Probe) (map[int64]string, error) {
	out := map[int64]string{}
	var ids []any
	for _, p := range ps {
		if p.IncidentTicketID != 0 {
			ids = append(ids, p.IncidentTicketID)
		}
	}
	if len(ids) == 0 || !opsdesk.ActorFrom(ctx).IsStaff() {
		return out, nil
	}
	rows, err := d.query(ctx, `SELECT id, key FROM tickets WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return nil, opsdesk.Internal("store.ProbeIncidentKeys", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return nil, opsdesk.Internal("store.ProbeIncidentKeys", err)
		}
		out[id] = key
	}
	if err := rows.Err(); err != nil {
		return nil, opsdesk.Internal("store.ProbeIncidentKeys", err)
	}
	return out, nil
}
