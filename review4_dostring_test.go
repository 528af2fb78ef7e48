package scpvpn_test

// Review 4: a Client.Do Request whose Body is a string of JSON (Body:
// string(b), a careless caller's way of passing a body it already has)
// is encoded by Do as a JSON string, which holds the pre-shared key
// inside its text. Nothing redacts it there: Request's Format (the third
// review's fix: "under every fmt verb it prints like its LogValue, with
// the secrets of its body ... replaced") prints it, and the SDK's
// scrubber (redact.SecretsIn of the encoded body) finds no key named like
// a secret, so a server that echoes the input it refuses (as validation
// errors do) puts the key into APIError's message.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestReview4DoRequestWithAStringBodyKeepsItsSecrets(t *testing.T) {
	t.Parallel()
	const psk = "PreSharedKey1"
	req := &scpvpn.Request{Method: http.MethodPost, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1",
		Body: `{"name":"t1","phase1":{"pre_shared_key":"` + psk + `"}}`}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assert.NotContains(t, fmt.Sprintf(verb, req), psk, "fmt %s", verb)
	}

	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, testEndpoint+"/v1/vpn-tunnels", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		// A validation error that quotes the input it refuses.
		return httpmockResponse(http.StatusBadRequest, `{"errors":[{"code":"InvalidBody","detail":`+strconv.Quote("body is not an object: "+string(b))+`}]}`), nil
	})
	c := newClient(t, mock)
	err := c.Do(context.Background(), req, nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), psk)
}
