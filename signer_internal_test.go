package scpvpn

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
)

// TestHMACMatchesCryptoHMAC checks the signer's allocation-free HMAC against
// the standard library's, for keys shorter than, equal to and longer than a
// SHA-256 block, and messages of every length around the block boundaries.
func TestHMACMatchesCryptoHMAC(t *testing.T) {
	t.Parallel()
	for _, keyLen := range []int{0, 1, 13, 63, 64, 65, 200} {
		key := strings.Repeat("k", keyLen)
		for msgLen := 0; msgLen < 300; msgLen += 7 {
			msg := []byte(strings.Repeat("m", msgLen))
			buf := append(make([]byte, hmacBlockSize), msg...)
			got := hmacSHA256(key, buf)

			mac := hmac.New(sha256.New, []byte(key))
			mac.Write(msg)
			if want := mac.Sum(nil); string(got[:]) != string(want) {
				t.Fatalf("key %d bytes, message %d bytes: got %x, want %x", keyLen, msgLen, got, want)
			}
		}
	}
}
