package main

// This file holds the tests of how the command is built and installed:
// the GODEBUG defaults of its go line, and a go.mod that go install can
// use.

import (
	"debug/buildinfo"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// The go line of a main module sets the GODEBUG defaults of what it
// builds: the command must not carry the TLS and X.509 defaults of a Go
// release that no longer gets fixes (those of Go 1.23, with go 1.23.0).
func TestNoOldGODEBUGDefaults(t *testing.T) {
	t.Parallel()
	info, err := buildinfo.ReadFile(binary)
	require.NoError(t, err)
	var defaults string
	for _, s := range info.Settings {
		if s.Key == "DefaultGODEBUG" {
			defaults = s.Value
		}
	}
	// Settings whose default changed in Go 1.24 to 1.26, as go version -m
	// shows them for a module that says go 1.23.0.
	for _, old := range []string{
		"tlsmlkem=0", "tlssha1=1", "x509rsacrt=0", "x509usepolicies=0", "rsa1024min=0",
		"tlssecpmlkem=0", "x509sha256skid=0", "randseednop=0", "urlmaxqueryparams=0",
	} {
		assert.NotContains(t, strings.Split(defaults, ","), old, "DefaultGODEBUG=%s", defaults)
	}
}

// go install github.com/scpsdk/scpvpn/cmd/scpvpn@vX refuses a module that
// replaces others, and must get the SDK of the same release.
func TestInstallableModule(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("go.mod")
	require.NoError(t, err)
	mod := string(b)
	assert.NotRegexp(t, `(?m)^\s*replace\b`, mod, "go install ignores go.work, not a replace: the workspace's go.work replaces instead")
	assert.Contains(t, mod, "\tgithub.com/scpsdk/scpvpn v"+scpvpn.Version+"\n", "the SDK of this release")
}
