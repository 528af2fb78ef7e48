package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// The quickstart is the README's first command: it must walk the whole life
// cycle against the built-in fake on a machine without SCP credentials.
func TestQuickstartAgainstTheFake(t *testing.T) {
	t.Setenv(scpvpn.EnvAccessKey, "")
	t.Setenv(scpvpn.EnvSecretKey, "")
	t.Setenv("SCP_TF_ACCESS_KEY", "")
	t.Setenv("SCP_TF_SECRET_KEY", "")
	t.Setenv(scpvpn.EnvConfigDir, t.TempDir())
	var out bytes.Buffer
	err := run(context.Background(), &out, config{timeout: time.Minute, peerIP: "203.0.113.7", remoteSubnet: "10.1.0.0/16"})
	require.NoError(t, err, out.String())
	for _, want := range []string{
		"using the built-in fake", "gateway quota: 0 of 3 used", "created gateway", "request id ", "is ACTIVE",
		"tunnel quota of the gateway: 0 of 5 used", "remote subnet 10.1.0.0/16 is AVAILABLE", "created tunnel", "status UP",
		"listed tunnel", "description is now", "tunnel", "is gone", "Done: the whole life cycle completed.",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.Equal(t, 2, strings.Count(out.String(), "is gone"), "both the tunnel and the gateway")
}

func TestQuickstartNeedsYesForTheRealService(t *testing.T) {
	t.Setenv(scpvpn.EnvConfigDir, t.TempDir())
	t.Setenv(scpvpn.EnvAccessKey, "ak")
	t.Setenv(scpvpn.EnvSecretKey, "sk")
	t.Setenv(scpvpn.EnvEndpoint, "http://127.0.0.1:1") // never reached
	var out bytes.Buffer
	err := run(context.Background(), &out, config{timeout: time.Minute})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-yes")
	assert.Empty(t, out.String(), "nothing was done")

	err = run(context.Background(), &out, config{yes: true, timeout: time.Minute})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-vpc-id")
}
