package scpvpn_test

// Review 3: issue 17, item 5: "A required field missing ... is an error
// matching ErrUnexpectedAnswer." The quota and the subnet check hold to
// it; a gateway or tunnel answer checks only its id. A Get answered with
// a gateway that has no state (nor name, nor created_at, all required by
// the API's schema) returns a Gateway whose State is "", and
// WaitUntilActive, which keeps polling a state it does not know, polls it
// until the context ends instead of reporting the answer.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/scpsdk/scpvpn"
)

func TestReview3GatewayAnswerWithoutItsStateIsUnexpected(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"vpn_gateway":{"id":"gw1"}}`))
	}))
	t.Cleanup(srv.Close)
	c := urlClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	gw, err := c.V1Dot1.Gateways.Get(ctx, "gw1")
	if err == nil {
		t.Errorf(`Get answered {"vpn_gateway":{"id":"gw1"}} returned a gateway with state %q, name %q and no error: state, name and created_at are required by the API's schema; such an answer must match ErrUnexpectedAnswer`, gw.State, gw.Name)
	} else {
		assert.ErrorIs(t, err, scpvpn.ErrUnexpectedAnswer)
	}

	wctx, wcancel := context.WithTimeout(ctx, 3*time.Second)
	defer wcancel()
	_, err = c.V1Dot1.Gateways.WaitUntilActive(wctx, "gw1", scpvpn.WithCallWaitPolicy(e2eWait))
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "WaitUntilActive polled an answer without a state until its context ended, rather than reporting it: %v", err)
}
