package scpvpn_test

// Review 8: an answer of white space alone is an empty body, as
// bytes.TrimSpace told it when the whole answer was read first. The
// Scanner takes white space beyond JSON's ("\v", "\f", "\u00a0",
// "\u2028") for a value, and JSON's own for what parts values: so such
// white space on lines of their own, or parted by a space, was a second
// value after the first, a *json.SyntaxError; only a run with no JSON
// white space in it was told blank. The blank cases are in
// TestReview7StopsBeforeItsEndOrIsBlank's table.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// TestReview8BlankThenSomethingIsNotAnEmptyBody: white space beyond
// JSON's followed by anything else is not blank (the blank cases are in
// TestReview7StopsBeforeItsEndOrIsBlank's table).
func TestReview8BlankThenSomethingIsNotAnEmptyBody(t *testing.T) {
	t.Parallel()
	// Not blank: encoding/json's word, as before.
	for name, body := range map[string]string{
		"then a value": "\v\n" + fixture(t, "v1.1", "gateway_get_response"),
		"then a word":  "\u00a0 \u00a0 x",
		"then a comma": "\v\n,",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.NotContains(t, review7Get(t, body).Error(), "empty body")
		})
	}
}

// review8Body reads body, then tail for ever.
type review8Body struct {
	body io.Reader
	tail func(p []byte) (int, error)
}

func (b *review8Body) Read(p []byte) (int, error) {
	if n, err := b.body.Read(p); n > 0 || !errors.Is(err, io.EOF) {
		return n, err
	}
	return b.tail(p)
}

func (b *review8Body) Close() error { return nil }

// TestReview8BlankAnswerCutOrTooLarge: reading on past blank white space
// still meets a failure to read (the answer is cut short, and asked again)
// and the 1 MiB bound (the answer is too large, and not asked again).
func TestReview8BlankAnswerCutOrTooLarge(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		tail     func([]byte) (int, error)
		attempts int
		want     string
	}{
		"cut":       {func([]byte) (int, error) { return 0, syscall.ECONNRESET }, fastRetries.MaxAttempts, "cut short"},
		"too large": {func(p []byte) (int, error) { return copy(p, strings.Repeat("\v\n", len(p)/2+1)), nil }, 1, "too large"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			rt := e2eRoundTripperFunc(func(r *http.Request) (*http.Response, error) {
				n.Add(1)
				body := &review8Body{body: strings.NewReader(strings.Repeat("\v\n", 20<<10)), tail: tc.tail}
				return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: body, ContentLength: -1, Request: r}, nil
			})
			c := newClient(t, testEndpoint, scpvpn.WithTransport(rt))
			got, err := c.V1Dot1.Gateways.Get(context.Background(), gatewayID)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "empty body")
			assert.Equal(t, tc.attempts, int(n.Load()))
		})
	}
}
