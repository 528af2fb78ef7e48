package main

// This file holds the tests that no secret is ever printed: not the secret
// key, the token or a pre-shared key, not with --debug, not when the
// server echoes them. (Every run of the harness also checks its output.)

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/vpntest"
)

// An error whose body echoes every secret of the call is printed without
// them, with --debug too.
func TestSecretsEchoedInAnError(t *testing.T) {
	t.Parallel()
	for _, version := range []string{version1Dot1, version1Dot0} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			c := newCLI(t, vpntest.Options{})
			gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
			require.NoError(t, err)
			file := writeFile(t, "tn.json", tunnelFile(version, "tn1", gw, "10.1.0.0/16"))
			echo := vpntest.Step{
				Status: http.StatusBadRequest,
				Body: `{"errors": [{"code": "InvalidPreSharedKey", "detail": "pre_shared_key ` + jsonEscaped(testPSK) +
					` is weak; signed with ` + c.srv.SecretKey + `; token ` + testToken + `"}]}`,
				Header: http.Header{"X-Request-Id": {"req-echo-1"}},
			}
			for _, debug := range []bool{false, true} {
				c.srv.Script(http.MethodPost, "/v1/vpn-tunnels", echo)
				args := []string{"--api-version", version, "tunnels", "create", "-f", file}
				if debug {
					args = append(args, "--debug")
				}
				r := c.run(args...) // the harness checks that no secret is in r
				assert.Equal(t, exitFailure, r.code)
				assert.Contains(t, r.stderr, "400 Bad Request: InvalidPreSharedKey: pre_shared_key")
				assert.Contains(t, r.stderr, "[REDACTED]")
				assert.Contains(t, r.stderr, "request id req-echo-1")
				if debug {
					assert.Contains(t, r.stderr, "http attempt")
					assert.Contains(t, r.stderr, "response_body=")
				}
			}
		})
	}
}

// A successful answer that echoes the pre-shared key of the request is
// printed without it, in both formats, and stays valid JSON.
func TestSecretEchoedInAnAnswer(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	file := writeFile(t, "tn.json", tunnelFile(version1Dot1, "tn1", gw, "10.1.0.0/16"))
	echoed := "key " + jsonEscaped(testPSK)
	answer := echoingTunnelAnswer(gw, echoed)

	c.srv.Script(http.MethodPost, "/v1/vpn-tunnels", answer)
	var tn tunnelJSON
	c.jsonOK(&tn, "tunnels", "create", "-f", file)
	assert.Equal(t, "key [REDACTED]", tn.ID)

	c.srv.Script(http.MethodPost, "/v1/vpn-tunnels", answer)
	r := c.ok("tunnels", "create", "-f", file, "--debug")
	assert.Contains(t, r.stdout, "key [REDACTED]")
}

// echoingTunnelAnswer is the answer to the create of tunnelFile(version1Dot1,
// "tn1", gw, "10.1.0.0/16"): the tunnel it asks for, whose id is echoed (JSON
// text): a create's answer must hold what the request asked for, so only
// what the request does not give (its id) can echo something else.
func echoingTunnelAnswer(gw, echoed string) vpntest.Step {
	return vpntest.Step{Status: http.StatusAccepted, Body: `{"vpn_tunnel": {"id": "` + echoed + `", "name": "tn1", "vpn_gateway_id": "` + gw + `",` +
		`"state": "CREATING", "created_at": "2024-05-17T00:23:17Z",` +
		`"phase1": {"ike_version": 2, "peer_gateway_ip": "203.0.113.7", "dpd_retry_interval": 60, "diffie_hellman_groups": [14], "encryptions": ["aes256-sha256"], "life_time": 86400},` +
		`"phase2": {"remote_subnets": ["10.1.0.0/16"], "perfect_forward_secrecy": "ENABLE", "diffie_hellman_groups": [14], "encryptions": ["aes256-sha256"], "life_time": 43200}}}`}
}

// encoding/json matches a member to a field whatever its case (and under
// Unicode's simple folding), so a pre-shared key under another spelling is
// sent: it must be scrubbed from an answer that echoes it, as the usual
// spelling is.
func TestSecretUnderAnotherSpelling(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	echoed := "key " + jsonEscaped(testPSK)
	answer := echoingTunnelAnswer(gw, echoed)
	// U+017F folds to s, the Kelvin sign U+212A to k.
	for _, member := range []string{"PRE_SHARED_KEY", "Pre_Shared_Key", "pre_\u017fhared_\u212aey"} {
		t.Run(member, func(t *testing.T) {
			c := c.in(t)
			file := writeFile(t, "tn.json", strings.Replace(tunnelFile(version1Dot1, "tn1", gw, "10.1.0.0/16"), `"pre_shared_key"`, `"`+member+`"`, 1))
			for _, output := range []string{formatJSON, formatTable} {
				c.srv.ClearRequests()
				c.srv.Script(http.MethodPost, "/v1/vpn-tunnels", answer)
				r := c.run("tunnels", "create", "-f", file, "-o", output) // the harness checks that no secret is in r
				require.Equal(t, exitOK, r.code, r.stderr)
				reqs := c.srv.Requests()
				require.Len(t, reqs, 1)
				require.Contains(t, string(reqs[0].Body), jsonEscaped(testPSK), "the key was sent")
				assert.Contains(t, r.stdout, "key [REDACTED]")
			}
		})
	}
}

// A secret with white space or an invisible character in it, echoed into
// a cell of the table, is scrubbed before the cell is made safe for a
// terminal: a tab turned into a space must not let it through.
func TestSecretEchoedInACell(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	psk := "tab\tand\u200bzero-width"
	c.secrets = append(c.secrets, psk)
	file := writeFile(t, "set.json", `{"phase1": {"pre_shared_key": "`+jsonEscaped(psk)+`"}}`)
	c.srv.Script(http.MethodPut, "/v1/vpn-tunnels/*", vpntest.Step{Status: http.StatusAccepted,
		Body: `{"vpn_tunnel": {"id": "tn1", "name": "` + jsonEscaped(psk) + `", "state": "EDITING", "created_at": "2024-05-17T00:23:17Z"}}`})
	r := c.ok("tunnels", "set", "tn1", "-f", file)
	assert.NotContains(t, r.stdout, cleanCell(psk))
	assert.Contains(t, r.stdout, "tn1   [REDACTED]")
}

// --debug logs every attempt of a whole life cycle, and no secret.
func TestDebugShowsNoSecret(t *testing.T) {
	t.Parallel()
	c := newCLI(t, vpntest.Options{})
	gw, err := c.srv.AddGateway(vpntest.GatewaySeed{})
	require.NoError(t, err)
	file := writeFile(t, "tn.json", tunnelFile(version1Dot1, "tn1", gw, "10.1.0.0/16"))
	set := writeFile(t, "set.json", `{"phase1": {"pre_shared_key": "`+jsonEscaped(testPSK)+`"}}`)

	var tn tunnelJSON
	r := c.jsonOK(&tn, "tunnels", "create", "-f", file, "--wait", "--debug")
	assert.GreaterOrEqual(t, strings.Count(r.stderr, "http attempt"), 2, "the create and the polls:\n%s", r.stderr)
	assert.Contains(t, r.stderr, `\"pre_shared_key\":\"[REDACTED]\"`, "the request body, redacted")
	r = c.ok("tunnels", "set", tn.ID, "-f", set, "--wait", "--debug")
	assert.Contains(t, r.stderr, "method=PUT")
	r = c.ok("tunnels", "delete", tn.ID, "--wait", "--debug")
	assert.Contains(t, r.stderr, "method=DELETE")
}

// A secret is scrubbed in each of the forms it can be printed in.
func TestScrubber(t *testing.T) {
	t.Parallel()
	s := newScrubber(`a"b<c>&d\e`, "abc", "")
	for _, in := range []string{`a"b<c>&d\e`, `a\"b\u003cc\u003e\u0026d\\e`, `a\"b<c>&d\\e`} {
		assert.Equal(t, "x [REDACTED] y", string(s.bytes([]byte("x "+in+" y"))), in)
	}
	assert.Equal(t, "abc", string(s.bytes([]byte("abc"))), "too short to be scrubbed")
	s.add(testPSK)
	assert.Equal(t, "[REDACTED]", string(s.bytes([]byte(testPSK))), "a secret added later")
}

// jsonEscaped returns s as it is written inside a JSON string.
func jsonEscaped(s string) string {
	return string(jsonForms(s)[1])
}
