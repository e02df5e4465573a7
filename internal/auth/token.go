package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// TokenPrefix marks opsdesk API tokens, so secret scanners and people recognise them.
const TokenPrefix = "odk_"

// NewSecret returns a random URL-safe secret carrying 256 bits.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewAPIToken returns a fresh API token: the prefix then a 256-bit secret.
func NewAPIToken() string { return TokenPrefix + NewSecret() }

// Digest returns the hex SHA-256 of a secret. Secrets of 256 bits need no slow hash: the digest
// is stored and looked up by an index, so checking a token costs one indexed read.
func Digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SameDigest compares two digests in constant time.
func SameDigest(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// LooksLikeAPIToken tells whether s has the shape of an opsdesk API token.
func LooksLikeAPIToken(s string) bool {
	return strings.HasPrefix(s, TokenPrefix) && len(s) == len(TokenPrefix)+43
}
