package main

import (
	"bytes"
	"context"
	"flag"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-access-key", "ak", "-secret-key", "sk", "-delay", "-1ns", "-gateway-quota", "1"}, &out, &out)
	}()

	var endpoint string
	require.Eventually(t, func() bool {
		for _, line := range strings.Split(out.String(), "\n") {
			if v, ok := strings.CutPrefix(line, "SCP_VPN_ENDPOINT="); ok {
				endpoint = v
				return true
			}
		}
		return false
	}, 2*time.Second, 5*time.Millisecond)
	assert.Contains(t, out.String(), "SCP_ACCESS_KEY=ak\n")
	assert.Contains(t, out.String(), "SCP_SECRET_KEY=sk\n")

	// Unsigned: the server is up and strict.
	hc := &http.Client{Transport: &http.Transport{}}
	resp, err := hc.Get(endpoint + "/v1/vpn-gateways")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	hc.CloseIdleConnections()

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "stopping")
	_, err = hc.Get(endpoint + "/v1/vpn-gateways")
	assert.Error(t, err, "stopped listening")
}

func TestRunBadFlags(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"-nope"}, &out, &out)
	require.Error(t, err)
	err = run(context.Background(), []string{"-h"}, &out, &out)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, out.String(), "-gateway-quota")
	err = run(context.Background(), []string{"extra"}, &out, &out)
	assert.ErrorContains(t, err, "unexpected arguments")
	err = run(context.Background(), []string{"-addr", "256.0.0.1:0"}, &out, &out)
	assert.ErrorContains(t, err, "listen")
}
