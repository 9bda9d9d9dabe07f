package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// NonceLifetime is how long a used nonce is remembered: longer than any ID
// token it could be replayed in is accepted.
const NonceLifetime = 2 * time.Hour

// FirstNonceUse records nonce as used at now and tells whether it was the
// first use, across every instance on this database; nonces older than
// NonceLifetime are forgotten on the way. Only a hash is kept.
func (s *sqlStore) FirstNonceUse(ctx context.Context, nonce string, now time.Time) (bool, error) {
	sum := sha256.Sum256([]byte(nonce))
	now = now.UTC()
	affected, err := s.grouped(ctx,
		statement{`DELETE FROM sso_nonces WHERE used_at < ?`, []any{now.Add(-NonceLifetime)}},
		statement{`INSERT INTO sso_nonces (nonce_hash, used_at) VALUES (?, ?) ON CONFLICT (nonce_hash) DO NOTHING`,
			[]any{hex.EncodeToString(sum[:]), now}})
	if err != nil {
		return false, fmt.Errorf("record a used nonce: %w", err)
	}
	return affected[1] == 1, nil
}
