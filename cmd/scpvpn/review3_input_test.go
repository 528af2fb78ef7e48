package main

// Review 3: a request file that gives a field twice. readRequest refuses
// a field the request does not have ("a misspelt field must not be
// dropped silently"), but encoding/json keeps the last of two values of
// one field, and matches names in any case: a file that gives "name"
// twice, or "description" and "Description", is sent with one of them and
// the other dropped without a word. The SDK refuses the same thing in the
// service's answers (duplicateMember).

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn/vpntest"
)

func TestReview3RequestFileGivingAFieldTwiceIsRefused(t *testing.T) {
	t.Parallel()
	for name, file := range map[string]string{
		"the same name twice": `{"name":"gwold","vpc_id":"vpc0a1b2c3d","ip_id":"ip0a1b2c3d","ip_address":"192.0.2.10","ip_type":"PUBLIC","name":"gwnew"}`,
		"in another case":     `{"name":"gw1","vpc_id":"vpc0a1b2c3d","ip_id":"ip0a1b2c3d","ip_address":"192.0.2.10","ip_type":"PUBLIC","description":"keep","Description":"other"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t, vpntest.Options{})
			r := c.run("gateways", "create", "-f", writeFile(t, "gw.json", file))
			posts := c.srv.CountRequests(http.MethodPost, "/v1/vpn-gateways")
			assert.Equal(t, exitUsage, r.code, "a request file that gives a field twice (%s) must be refused with status 2; it exited %d and sent %d create(s), one of the two values dropped silently:\n%s", name, r.code, posts, r.stderr)
			assert.Zero(t, posts, "nothing is sent")
		})
	}
}
