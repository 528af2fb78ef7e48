package apischema

import (
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checker finds what breaks a document, in requests and in answers,
// and passes every exchange on unchanged.

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answering is a transport that answers every request with status and body.
func answering(status int, body string) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), Request: r}
		if body != "" {
			resp.Header.Set("Content-Type", "application/json")
		}
		return resp, nil
	})
}

func newChecker(t *testing.T) *Checker {
	t.Helper()
	c, err := New(map[string]string{
		"vpn 1.0": filepath.Join(openapiDir, "vpn-1.0.yaml"),
		"vpn 1.1": filepath.Join(openapiDir, "vpn-1.1.yaml"),
	})
	require.NoError(t, err)
	return c
}

// send sends one request through a checker's transport and returns the
// exchange it kept.
func send(t *testing.T, c *Checker, rt http.RoundTripper, version, method, url, body string) Exchange {
	t.Helper()
	c.Reset()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, rd)
	require.NoError(t, err)
	req.Header.Set("Scp-Api-Version", version)
	req.Header.Set("Scp-Signature", "sig")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Transport(rt).RoundTrip(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	got := c.Exchanges()
	require.Len(t, got, 1)
	return got[0]
}

const quota = `{"vpn_gateway_max_quota": 3, "vpn_gateway_used_quota": 1}`

func TestCheckerFindsWhatBreaksTheDocument(t *testing.T) {
	c := newChecker(t)
	base := "http://vpn.example/v1/vpn"
	okQuota := answering(http.StatusOK, quota)

	e := send(t, c, okQuota, "vpn 1.1", "GET", base+"-gateways/metrics/quotas?vpc_id=v1", "")
	assert.Equal(t, "getVpnGatewayQuotas", e.Operation)
	assert.Equal(t, "/v1/vpn-gateways/metrics/quotas", e.PathPattern)
	assert.Empty(t, e.RequestErrors)
	assert.Empty(t, e.ResponseErrors)
	assert.Equal(t, http.StatusOK, e.Status)

	tests := []struct {
		name               string
		version, method    string
		url, body          string
		rt                 http.RoundTripper
		requestErr, answer string
	}{
		{"a misspelt optional request field", "vpn 1.1", "POST", base + "-gateways",
			`{"name":"g","ip_address":"1.2.3.4","ip_id":"i","ip_type":"PUBLIC","vpc_id":"v","descriptionx":"x"}`,
			answering(http.StatusBadRequest, `{"errors":[]}`), "descriptionx", ""},
		{"a required request field missing", "vpn 1.0", "PUT", base + "-tunnels/t1",
			`{"phase1":{"ike_version":"2"}}`, answering(http.StatusBadRequest, ""), "ike_version", ""},
		{"a query parameter of the other version", "vpn 1.1", "GET", base + "-tunnels?remote_subnet=10.0.0.0/8", "",
			answering(http.StatusOK, `{"count":0,"page":0,"size":20,"vpn_tunnels":[]}`), "remote_subnet", ""},
		{"an answer of the wrong type", "vpn 1.0", "GET", base + "-gateways/metrics/quotas", "",
			answering(http.StatusOK, `{"vpn_gateway_max_quota":"3","vpn_gateway_used_quota":1}`), "", "vpn_gateway_max_quota"},
		{"an answer with a field it does not declare", "vpn 1.0", "GET", base + "-gateways/metrics/quotas", "",
			answering(http.StatusOK, `{"vpn_gateway_max_quota":3,"vpn_gateway_used_quota":1,"spare":2}`), "", "spare"},
		{"a status the operation does not declare", "vpn 1.1", "DELETE", base + "-tunnels/t1", "",
			answering(http.StatusConflict, `{"errors":[]}`), "", "response code '409' does not exist"},
		{"an error body of the wrong shape", "vpn 1.0", "GET", base + "-tunnels/vpn-tunnel-subnet-availabilities?vpn_gateway_id=g", "",
			answering(http.StatusBadRequest, `{"errors":[]}`), "remote_subnet", "want array"},
	}
	for _, tt := range tests {
		e := send(t, c, tt.rt, tt.version, tt.method, tt.url, tt.body)
		assert.NotEmpty(t, e.Operation, tt.name)
		if tt.requestErr == "" {
			assert.Empty(t, e.RequestErrors, tt.name)
		} else {
			assert.Contains(t, strings.Join(e.RequestErrors, "\n"), tt.requestErr, tt.name)
		}
		if tt.answer == "" {
			assert.Empty(t, e.ResponseErrors, tt.name)
		} else {
			assert.Contains(t, strings.Join(e.ResponseErrors, "\n"), tt.answer, tt.name)
		}
	}
}

func TestCheckerKeepsWhatNoDocumentJudges(t *testing.T) {
	c := newChecker(t)
	e := send(t, c, answering(http.StatusBadRequest, `{"errors":[]}`), "vpn 9.9", "GET", "http://vpn.example/v1/vpn-gateways", "")
	assert.True(t, e.NoDocument)
	assert.Empty(t, e.Operation)
	assert.Equal(t, http.StatusBadRequest, e.Status)

	e = send(t, c, answering(http.StatusNotFound, `{"errors":[]}`), "vpn 1.1", "GET", "http://vpn.example/v2/elsewhere", "")
	assert.False(t, e.NoDocument)
	assert.Empty(t, e.Operation, "no operation of the document")
	assert.NotEmpty(t, e.RequestErrors)
}

func TestTransportPassesEverythingOn(t *testing.T) {
	c := newChecker(t)
	body := `{"name":"g","ip_address":"1.2.3.4","ip_id":"i","ip_type":"PUBLIC","vpc_id":"v"}`
	var sent string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		sent = string(b)
		assert.Equal(t, "sig", r.Header.Get("Scp-Signature"))
		return answering(http.StatusTeapot, "as it came").RoundTrip(r)
	})
	req, err := http.NewRequestWithContext(t.Context(), "POST", "http://vpn.example/v1/vpn-gateways", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Scp-Signature", "sig")
	resp, err := c.Transport(rt).RoundTrip(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, body, sent)
	assert.Equal(t, "as it came", string(got))
	assert.Equal(t, http.StatusTeapot, resp.StatusCode)

	// A transport error is the caller's, and the exchange is kept without
	// an answer.
	c.Reset()
	boom := errors.New("boom")
	_, err = c.Transport(roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, boom })).RoundTrip(req.Clone(t.Context()))
	require.ErrorIs(t, err, boom)
	require.Len(t, c.Exchanges(), 1)
	assert.Zero(t, c.Exchanges()[0].Status)

	// An answer cut short is passed on with its error, unjudged.
	c.Reset()
	cut := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(io.MultiReader(strings.NewReader("par"), errorReader{io.ErrUnexpectedEOF}))}, nil
	})
	resp, err = c.Transport(cut).RoundTrip(req.Clone(t.Context()))
	require.NoError(t, err)
	got, err = io.ReadAll(resp.Body)
	assert.Equal(t, "par", string(got))
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Empty(t, c.Exchanges())
}

type errorReader struct{ err error }

func (r errorReader) Read([]byte) (int, error) { return 0, r.err }
