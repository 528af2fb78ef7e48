package scpvpn_test

// The files of SCP's tools are read only when they are regular files of at
// most 1 MiB; anything else is refused, with an error that names the file
// and says why, never what it holds. A UTF-8 byte order mark is skipped.
// These tests change the process's environment (t.Setenv), so none of
// them runs in parallel.

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// credentialsJSON is a credentials.json that holds logSecretKey, padded
// with white space after its object to size bytes.
func credentialsJSON(t *testing.T, size int) string {
	t.Helper()
	s := `{"access-key": "file-ak", "secret-key": "` + logSecretKey + `"}`
	require.LessOrEqual(t, len(s), size)
	return s + strings.Repeat(" ", size-len(s))
}

// fromFiles is NewClientFromEnv with an endpoint, reading the files of dir.
func fromFiles(t *testing.T, dir string) (*scpvpn.Client, error) {
	t.Helper()
	t.Setenv(scpvpn.EnvConfigDir, dir)
	t.Setenv(scpvpn.EnvEndpoint, testEndpoint)
	return scpvpn.NewClientFromEnv()
}

// assertRefused checks that err refuses name in dir, saying why, and
// shows nothing the file holds.
func assertRefused(t *testing.T, err error, dir, name, why string) {
	t.Helper()
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, name), "the error names the file")
	assert.Contains(t, err.Error(), why)
	assertNoSecret(t, err.Error(), logSecretKey)
	assert.NotContains(t, err.Error(), "file-ak")
}

// TestConfigFileOfAtMostOneMiB: a file of 1 MiB is read; one byte more is
// refused, whether it says so in its size or not.
func TestConfigFileOfAtMostOneMiB(t *testing.T) {
	dir := cleanConfig(t)
	writeConfig(t, dir, "credentials.json", credentialsJSON(t, 1<<20))
	c, err := fromFiles(t, dir)
	require.NoError(t, err)
	assert.Contains(t, c.String(), "file-ak")

	writeConfig(t, dir, "credentials.json", credentialsJSON(t, 1<<20+1))
	c, err = fromFiles(t, dir)
	assert.Nil(t, c)
	assertRefused(t, err, dir, "credentials.json", "larger than 1 MiB (1048577 bytes)")

	writeConfig(t, dir, "credentials.json", "")
	writeConfig(t, dir, "config.json", `{"account-id": "acct"}`+strings.Repeat("\n", 2<<20))
	_, err = fromFiles(t, dir)
	assertRefused(t, err, dir, "config.json", "larger than 1 MiB")
}

// TestConfigFileThatIsNotRegular: a symbolic link to a device is refused
// without being read; a link to a regular file is followed.
func TestConfigFileThatIsNotRegular(t *testing.T) {
	dir := cleanConfig(t)
	require.NoError(t, os.MkdirAll(dir, 0o700))
	elsewhere := filepath.Join(t.TempDir(), "keys.json")
	require.NoError(t, os.WriteFile(elsewhere, []byte(credentialsJSON(t, 100)), 0o600))
	if err := os.Symlink(elsewhere, filepath.Join(dir, "credentials.json")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	c, err := fromFiles(t, dir)
	require.NoError(t, err, "a link to a regular file is followed")
	assert.Contains(t, c.String(), "file-ak")

	if runtime.GOOS == "windows" {
		return
	}
	// /dev/null reads as empty and /dev/zero never ends: neither is a file
	// of keys.
	for _, device := range []string{"/dev/null", "/dev/zero"} {
		t.Run(device, func(t *testing.T) {
			if _, err := os.Stat(device); err != nil {
				t.Skipf("no %s: %v", device, err)
			}
			link := filepath.Join(dir, "config.json")
			_ = os.Remove(link)
			require.NoError(t, os.Symlink(device, link))
			_, err := fromFiles(t, dir)
			assertRefused(t, err, dir, "config.json", "is a device (through a symbolic link), not a regular file")
			require.NoError(t, os.Remove(link))
		})
	}
}

// TestConfigFileThatIsAFolder: a folder where a file should be is refused.
func TestConfigFileThatIsAFolder(t *testing.T) {
	dir := cleanConfig(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "credentials.json"), 0o700))
	_, err := fromFiles(t, dir)
	assertRefused(t, err, dir, "credentials.json", "is a folder, not a regular file")
}

// TestConfigFileWithAByteOrderMark: a UTF-8 byte order mark, as some
// Windows editors write, is skipped; a file that holds only one is empty.
func TestConfigFileWithAByteOrderMark(t *testing.T) {
	dir := cleanConfig(t)
	const bom = "\xef\xbb\xbf"
	writeConfig(t, dir, "credentials.json", bom+`{"access-key": "bom-ak", "secret-key": "bom-sk"}`)
	writeConfig(t, dir, "config.json", bom+`{"endpoint-override": "https://bom.example"}`)
	t.Setenv(scpvpn.EnvConfigDir, dir)
	c, err := scpvpn.NewClientFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://bom.example", c.Endpoint())
	assert.Contains(t, c.String(), "bom-ak")

	writeConfig(t, dir, "config.json", bom+"\n")
	c, err = fromFiles(t, dir)
	require.NoError(t, err, "a file of only a byte order mark is empty")
	assert.Equal(t, testEndpoint, c.Endpoint())

	writeConfig(t, dir, "config.json", bom+bom+`{}`)
	_, err = fromFiles(t, dir)
	require.Error(t, err, "one mark is skipped, not any number")
	assert.Contains(t, err.Error(), "is not valid JSON")
}
