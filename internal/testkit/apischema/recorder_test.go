package apischema

// The recorder hands every request on as its caller built it, and every
// answer as it comes, unbuffered; it judges what went through once the
// caller has closed the answer, and says why when it cannot.

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emptyOnce is an empty body net/http cannot rewind, as the SDK sends
// with a GET or a DELETE (internal/rest, sentOnce).
type emptyOnce struct{}

func (emptyOnce) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyOnce) Close() error             { return nil }

func signedRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, body)
	require.NoError(t, err)
	req.Header.Set("Scp-Api-Version", "vpn 1.1")
	req.Header.Set("Scp-Signature", "sig")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func TestRecorderHandsRequestsOnAsBuilt(t *testing.T) {
	c := newChecker(t)
	const url = "http://vpn.example/v1/vpn-gateways"

	// Without content: the very request, whose empty body net/http cannot
	// rewind, stays so.
	get := signedRequest(t, http.MethodGet, url+"/g1", nil)
	get.Body, get.TransferEncoding = emptyOnce{}, []string{"identity"}
	var got *http.Request
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return answering(http.StatusNotFound, `{"errors":[]}`).RoundTrip(r)
	})
	resp, err := c.Recorder(rt).RoundTrip(get)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Same(t, get, got, "a request without content is handed on as it is")
	assert.Equal(t, emptyOnce{}, got.Body)

	// With content: what net/http sees is the caller's request but for a
	// body that records what is read, which it can no more rewind.
	const body = `{"name":"g","ip_address":"1.2.3.4","ip_id":"i","ip_type":"PUBLIC","vpc_id":"v","descriptionx":"x"}`
	post := signedRequest(t, http.MethodPost, url, strings.NewReader(body))
	post.GetBody = nil // as the SDK sends it
	callers := post.Body
	var sent string
	rt = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		assert.NotEqual(t, http.NoBody, r.Body)
		assert.Nil(t, r.GetBody, "net/http gets no way to rewind the body")
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		sent = string(b)
		return answering(http.StatusBadRequest, `{"errors":[]}`).RoundTrip(r)
	})
	c.Reset()
	resp, err = c.Recorder(rt).RoundTrip(post)
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, body, sent)
	assert.NotSame(t, post, got)
	assert.Equal(t, post.ContentLength, got.ContentLength)
	assert.Equal(t, post.Header, got.Header)
	assert.Equal(t, post.URL, got.URL)
	assert.True(t, callers == post.Body, "the caller's request is left as it was")

	e := c.Exchanges()
	require.Len(t, e, 1)
	assert.Empty(t, e[0].NotJudged)
	assert.Equal(t, body, string(e[0].RequestBody), "the body as it went through")
	assert.Contains(t, strings.Join(e[0].RequestErrors, "\n"), "descriptionx", "judged by what went through")
	assert.Equal(t, http.StatusBadRequest, e[0].Status)
}

func TestRecorderPassesAnswersAsTheyCome(t *testing.T) {
	c := newChecker(t)
	pr, pw := io.Pipe()
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}}, Body: pr, Request: r}, nil
	})
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.Recorder(rt).RoundTrip(signedRequest(t, http.MethodGet, "http://vpn.example/v1/vpn-gateways/metrics/quotas?vpc_id=v1", nil))
		done <- result{resp, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute): // only a hang: nothing of the body has come yet
		t.Fatal("RoundTrip waited for the answer's body")
	}
	require.NoError(t, r.err)
	assert.Empty(t, c.Exchanges(), "judged only when the caller is done with the answer")

	go func() {
		_, _ = io.WriteString(pw, quota)
		_ = pw.Close()
	}()
	got, err := io.ReadAll(r.resp.Body)
	require.NoError(t, err)
	assert.Equal(t, quota, string(got))
	require.NoError(t, r.resp.Body.Close())
	require.NoError(t, r.resp.Body.Close(), "a second Close is harmless")
	e := c.Exchanges()
	require.Len(t, e, 1, "one exchange, whatever the Closes")
	assert.Empty(t, e[0].NotJudged)
	assert.Equal(t, "getVpnGatewayQuotas", e[0].Operation)
	assert.Empty(t, e[0].RequestErrors)
	assert.Empty(t, e[0].ResponseErrors)
	assert.Equal(t, quota, string(e[0].Body))
}

func TestRecorderSaysWhatItCouldNotJudge(t *testing.T) {
	c := newChecker(t)
	const url = "http://vpn.example/v1/vpn-gateways/metrics/quotas"
	exchange := func(rt http.RoundTripper, body io.Reader, read func(io.Reader)) Exchange {
		t.Helper()
		c.Reset()
		method := http.MethodGet
		if body != nil {
			method = http.MethodPut
		}
		resp, err := c.Recorder(rt).RoundTrip(signedRequest(t, method, url, body))
		if err == nil {
			read(resp.Body)
			_ = resp.Body.Close()
		}
		e := c.Exchanges()
		require.Len(t, e, 1)
		return e[0]
	}
	readAll := func(r io.Reader) { _, _ = io.ReadAll(r) }

	e := exchange(answering(http.StatusOK, quota), nil, func(r io.Reader) { _, _ = io.ReadFull(r, make([]byte, 5)) })
	assert.Contains(t, e.NotJudged, "closed the answer after 5 bytes")
	assert.Empty(t, e.ResponseErrors)

	cut := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(io.MultiReader(strings.NewReader("par"), errorReader{io.ErrUnexpectedEOF}))}, nil
	})
	e = exchange(cut, nil, readAll)
	assert.Contains(t, e.NotJudged, "cut short after 3 bytes")
	assert.Equal(t, "par", string(e.Body))

	partly := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		_, _ = io.ReadFull(r.Body, make([]byte, 4))
		return answering(http.StatusOK, quota).RoundTrip(r)
	})
	e = exchange(partly, strings.NewReader(`{"description":"x"}`), readAll)
	assert.Contains(t, e.NotJudged, "sent 4 of the request's 19 bytes")

	// No answer: the request is judged, the exchange kept without one.
	boom := errors.New("boom")
	e = exchange(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		_, _ = io.ReadAll(r.Body)
		return nil, boom
	}), strings.NewReader(`{"vpn_gateway_max_quota":1}`), readAll)
	assert.Empty(t, e.NotJudged)
	assert.Zero(t, e.Status)
	assert.NotEmpty(t, e.RequestErrors, "a PUT the document does not have")
}
