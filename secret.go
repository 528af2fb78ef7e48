package scpvpn

import (
	"fmt"
	"io"
	"log/slog"
)

// redactedText stands in for every secret the SDK prints or logs.
const redactedText = "[REDACTED]"

// Secret is a value that must not be seen: a tunnel's pre-shared key. It is
// an ordinary string on the wire (JSON carries the real value), but prints as
// [REDACTED] under every fmt verb and in log/slog records. Convert it with
// string(s) where the real value is needed.
type Secret string

// String returns [REDACTED], or "" for an empty Secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redactedText
}

// GoString returns the Go syntax of a redacted Secret.
func (s Secret) GoString() string {
	return "scpvpn.Secret(" + fmt.Sprintf("%q", s.String()) + ")"
}

// Format writes the redacted form under every verb, %x and %q included.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, s.GoString())
			return
		}
	case 'q':
		_, _ = io.WriteString(f, fmt.Sprintf("%q", s.String()))
		return
	}
	_, _ = io.WriteString(f, s.String())
}

// LogValue keeps the value out of log/slog records, JSON handlers included.
func (s Secret) LogValue() slog.Value {
	return slog.StringValue(s.String())
}
