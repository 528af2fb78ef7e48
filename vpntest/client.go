package vpntest

// This file holds Client, which builds an SDK client for the server.

import (
	"time"

	"github.com/scpsdk/scpvpn"
)

// fastWaits and fastRetries make a client for the fake wait and back off
// for milliseconds, where the real service needs seconds.
var (
	fastWaits   = scpvpn.WaitPolicy{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}
	fastRetries = scpvpn.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 50 * time.Millisecond}
)

// Client returns a client of the SDK for the server: the server's URL as
// its endpoint, the server's credentials, waiters that poll every few
// milliseconds (a WaitPolicy of 1 to 5 ms) and retries that back off for
// milliseconds (3 attempts, 1 to 5 ms apart, Retry-After honoured up to
// 50 ms). opts are applied after these and override them. Close closes
// the idle connections of every client Client returned.
func (s *Server) Client(opts ...scpvpn.Option) (*scpvpn.Client, error) {
	base := []scpvpn.Option{
		scpvpn.WithEndpoint(s.URL),
		scpvpn.WithCredentials(s.AccessKey, s.SecretKey),
		scpvpn.WithWaitPolicy(fastWaits),
		scpvpn.WithRetryPolicy(fastRetries),
	}
	c, err := scpvpn.NewClient(append(base, opts...)...)
	if err != nil {
		return nil, err
	}
	s.clientsMu.Lock()
	s.clients = append(s.clients, c)
	s.clientsMu.Unlock()
	return c, nil
}
