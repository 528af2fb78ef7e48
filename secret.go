package scpvpn

// This file holds Secret, and what the request types that carry one share to
// print and log themselves without it; each type's own redaction is beside
// its declaration.

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// redactedText stands in for every secret the SDK prints or logs.
const redactedText = "[REDACTED]"

// Secret is a value that must not be seen: a tunnel's pre-shared key. It is
// an ordinary string on the wire (JSON carries the real value), but prints as
// [REDACTED] under every fmt verb and in log/slog records, as do the request
// types that hold one. Convert it with string(s) where the real value is
// needed.
//
// The redaction covers a Secret, or a request, printed or logged as such,
// and a Client.Do Request printed or logged, whatever its Body holds (the
// values of keys named like secrets are replaced, and every Secret it
// holds). What the SDK cannot see
// into stays the caller's care: a request inside a slice, map or struct of
// the caller's given to a slog JSON handler is encoded as JSON, where the
// key is real, and fmt prints unexported fields through reflection. The
// SDK's own logs and errors never hold a secret.
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

// The request types that hold a Secret, directly or below, format and log
// themselves, each beside its declaration (redacted, Format and LogValue).
// fmt stops calling Format and String once it meets a verb that does not fit
// a value (%s on a pointer, say) and prints everything below it through
// reflection, where a Secret is a plain string; and a slog JSON handler
// encodes a value as JSON, where the key is real. So each of these types
// stands in for itself with a copy, of a type without these methods, whose
// secrets are already replaced. (%p on a struct value is answered by fmt
// before any method is consulted; go vet reports that call.)

// redactedSecret is a Secret whose value is its own redaction.
func redactedSecret(s Secret) Secret { return Secret(s.String()) }

// formatCopy prints v, a redacted copy, as the verb and flags of f ask; %#v
// names the real type rather than the copy's.
func formatCopy(f fmt.State, verb rune, name string, v any) {
	if verb == 'v' && f.Flag('#') {
		s := fmt.Sprintf("%#v", v)
		if i := strings.IndexByte(s, '{'); i >= 0 {
			s = name + s[i:]
		}
		_, _ = io.WriteString(f, s)
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}
