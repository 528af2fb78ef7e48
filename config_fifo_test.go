//go:build linux || darwin

package scpvpn_test

// A named pipe where a configuration file should be is refused at once:
// opening one waits for a writer, which may never come.

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// TestConfigFileThatIsANamedPipe: a named pipe with no writer, as
// credentials.json or config.json, makes NewClientFromEnv fail at once,
// naming the file, rather than wait.
func TestConfigFileThatIsANamedPipe(t *testing.T) {
	for _, name := range []string{"credentials.json", "config.json"} {
		t.Run(name, func(t *testing.T) {
			dir := cleanConfig(t)
			require.NoError(t, os.MkdirAll(dir, 0o700))
			fifo := filepath.Join(dir, name)
			require.NoError(t, syscall.Mkfifo(fifo, 0o600))
			t.Setenv(scpvpn.EnvConfigDir, dir)
			t.Setenv(scpvpn.EnvEndpoint, testEndpoint)
			t.Setenv(scpvpn.EnvAccessKey, testAccessKey)
			t.Setenv(scpvpn.EnvSecretKey, testSecretKey)

			done := make(chan error, 1)
			go func() {
				_, err := scpvpn.NewClientFromEnv()
				done <- err
			}()
			select {
			case err := <-done:
				assertRefused(t, err, dir, name, "is a named pipe, not a regular file")
			case <-time.After(time.Minute): // only a hang gets here
				// Let the reader go: a writer that opens and closes gives it
				// an empty file.
				if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					_ = w.Close()
				}
				t.Fatalf("NewClientFromEnv waited on a named pipe (and then returned %v)", <-done)
			}
		})
	}
}
