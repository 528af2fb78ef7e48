package main

// This file holds the last guard on secrets: whatever the command prints,
// on either stream, has the secrets it knows of replaced. The SDK already
// keeps them out of its errors and logs; this covers what the command
// prints of successful answers, and its own messages.

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/scpsdk/scpvpn"
)

// redacted stands in for a secret, as the SDK writes it.
const redacted = "[REDACTED]"

// minSecret is the length below which a value is not scrubbed: replacing a
// character or two everywhere would garble the output and hide nothing.
const minSecret = 4

// scrubber replaces known secrets, as they are and as JSON escapes them.
// Secrets can be added as the command learns them (the pre-shared key of a
// request file).
type scrubber struct {
	mu    sync.Mutex
	forms [][]byte
}

func newScrubber(secrets ...string) *scrubber {
	s := &scrubber{}
	s.add(secrets...)
	return s
}

// add makes the scrubber replace each secret from now on.
func (s *scrubber) add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, secret := range secrets {
		if len(secret) < minSecret {
			continue
		}
		for _, form := range jsonForms(secret) {
			if !containsForm(s.forms, form) {
				s.forms = append(s.forms, form)
			}
		}
	}
}

// jsonForms returns secret as it is, and as it appears inside a JSON
// string with and without HTML escaping.
func jsonForms(secret string) [][]byte {
	forms := [][]byte{[]byte(secret)}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(secret) // a string always encodes
		quoted := bytes.TrimSpace(b.Bytes())
		forms = append(forms, quoted[1:len(quoted)-1])
	}
	return forms
}

func containsForm(forms [][]byte, form []byte) bool {
	for _, f := range forms {
		if bytes.Equal(f, form) {
			return true
		}
	}
	return false
}

// bytes returns b with every secret replaced; b itself when it holds none.
func (s *scrubber) bytes(b []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, form := range s.forms {
		if bytes.Contains(b, form) {
			b = bytes.ReplaceAll(b, form, []byte(redacted))
		}
	}
	return b
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

// configuredSecrets returns the secret key and token of the configuration,
// from the places scpvpn.NewClientFromEnv reads them. A file that cannot
// be read holds nothing here: the client reports it.
func configuredSecrets() []string {
	secrets := []string{
		os.Getenv(scpvpn.EnvSecretKey), os.Getenv("SCP_TF_SECRET_KEY"),
		os.Getenv(scpvpn.EnvAuthToken), os.Getenv("SCP_TF_AUTH_TOKEN"),
	}
	dir := os.Getenv(scpvpn.EnvConfigDir)
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return secrets
		}
		dir = filepath.Join(home, ".scpconf")
	}
	b, err := os.ReadFile(filepath.Join(dir, "credentials.json")) //nolint:gosec // the configuration folder, the user's choice
	if err != nil {
		return secrets
	}
	var creds struct {
		SecretKey string `json:"secret-key"`
		AuthToken string `json:"auth-token"`
	}
	if json.Unmarshal(b, &creds) == nil {
		secrets = append(secrets, creds.SecretKey, creds.AuthToken)
	}
	return secrets
}
