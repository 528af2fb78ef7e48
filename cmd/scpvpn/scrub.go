package main

// This file holds the last guard on secrets: whatever the command prints,
// on either stream, has the secrets it knows of replaced. The SDK already
// keeps them out of its errors and logs; this covers what the command
// prints of successful answers, and its own messages.

import (
	"io"
	"sync"

	"github.com/scpsdk/scpvpn/internal/redact"
)

// minSecret is the length below which a value is not scrubbed: replacing a
// character or two everywhere would garble the output and hide nothing.
const minSecret = 4

// scrubber replaces known secrets wherever they appear, as they are and in
// every way JSON escapes them: the SDK's own scrubber, which it uses for
// its errors and logs. Secrets can be added as the command learns them (the
// pre-shared key of a request file).
type scrubber struct {
	mu sync.Mutex
	s  *redact.Scrubber
}

func newScrubber(secrets ...string) *scrubber {
	s := &scrubber{s: redact.NewScrubber()}
	s.add(secrets...)
	return s
}

// add makes the scrubber replace each secret from now on.
func (s *scrubber) add(secrets ...string) {
	var long []string
	for _, secret := range secrets {
		if len(secret) >= minSecret {
			long = append(long, secret)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.s = s.s.With(long...)
}

// bytes returns b with every secret replaced; b itself when it holds none.
func (s *scrubber) bytes(b []byte) []byte {
	s.mu.Lock()
	sc := s.s
	s.mu.Unlock()
	return sc.Bytes(b)
}

// clean returns text with every secret replaced, then made safe for a
// terminal by cleanCell: in this order, so that a secret holding a tab or
// an invisible character is still found.
func (s *scrubber) clean(text string) string {
	return cleanCell(string(s.bytes([]byte(text))))
}

// scrubWriter writes through a scrubber. Each Write is scrubbed on its
// own, so a secret must not be split across writes: the command's messages
// and the SDK's log records are each written at once.
type scrubWriter struct {
	w io.Writer
	s *scrubber
}

func (w *scrubWriter) Write(p []byte) (int, error) {
	if _, err := w.w.Write(w.s.bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
