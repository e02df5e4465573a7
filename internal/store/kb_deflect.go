package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// CancelDeflections removes the deflections recorded for a visit of the portal's request form
// (the key given to RecordDeflection) when that visit ends in a filed request after all: a
// deflection counts a customer who opened a suggested article and left without filing. It
// removes only the calling customer's own records, and returns how many it removed (0 when the
// visit opened nothing). Customers only. Errors: invalid (session), forbidden,
// unauthenticated.
func (d *DB) CancelDeflections(ctx context.Context, sessionKey string) (int, error) {
	a := opsdesk.ActorFrom(ctx)
	if a.Role == "" {
		return 0, opsdesk.Unauthenticated("log in first")
	}
	if !a.IsCustomer() {
		return 0, opsdesk.Forbidden("deflections are counted for customers only")
	}
	sessionKey = strings.TrimSpace(sessionKey)
	if sessionKey == "" || len(sessionKey) > 512 {
		return 0, opsdesk.Invalid("session", "a deflection needs the key of the visit (1 to 512 bytes)")
	}
	sum := sha256.Sum256([]byte(sessionKey))
	res, err := d.exec(ctx, `DELETE FROM kb_deflections WHERE session_hash = ? AND customer_id = ?`,
		hex.EncodeToString(sum[:]), a.CustomerID)
	if err != nil {
		return 0, opsdesk.Internal("store.CancelDeflections", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, opsdesk.Internal("store.CancelDeflections", err)
	}
	return int(n), nil
}
