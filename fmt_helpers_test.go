package scpvpn_test

import (
	"encoding/hex"
	"fmt"
)

func sprintf(format string, v any) string { return fmt.Sprintf(format, v) }

// hexOf is how %x would show a string, to look for it in output.
func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }
