package scpvpn_test

// Review 3: Client.Do's Request. Its LogValue hides the secrets of its body
// and of its query from slog, but fmt shows them all (Request has no
// Format), and the query's secrets, which LogValue treats as secrets,
// reach the SDK's own errors and debug log as they are.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

const review3PSK = "review3PreSharedKeyValue"

func TestReview3DoRequestHidesItsSecretsFromFmt(t *testing.T) {
	bodies := map[string]any{
		"json.RawMessage": json.RawMessage(`{"phase1":{"pre_shared_key":"` + review3PSK + `"}}`),
		"map":             map[string]any{"phase1": map[string]any{"pre_shared_key": review3PSK}},
	}
	for name, body := range bodies {
		req := scpvpn.Request{Method: http.MethodPost, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1", Body: body}
		var logged bytes.Buffer
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("sending", "req", req)
		require.NotContains(t, logged.String(), review3PSK, "precondition: slog hides it (LogValue)")
		for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%q", "%x"} {
			for _, v := range []any{req, &req} {
				if out := fmt.Sprintf(verb, v); strings.Contains(out, review3PSK) || strings.Contains(out, fmt.Sprintf("%x", review3PSK)) ||
					strings.Contains(out, review3DecimalBytes(review3PSK)) {
					t.Errorf("fmt.Sprintf(%q, %T) of a Client.Do Request whose Body is a %s shows the pre-shared key that its LogValue hides from slog: %.200s", verb, v, name, out)
				}
			}
		}
	}
}

// review3DecimalBytes is how %v prints a []byte: its bytes in decimal.
func review3DecimalBytes(s string) string {
	parts := make([]string, len(s))
	for i := range len(s) {
		parts[i] = strconv.Itoa(int(s[i]))
	}
	return strings.Join(parts, " ")
}

func TestReview3DoQuerySecretStaysOutOfErrorsAndLogs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"errors":[{"code":"InvalidParameter","detail":"no"}]}`))
	}))
	t.Cleanup(srv.Close)
	var logged bytes.Buffer
	c := urlClient(t, srv.URL, scpvpn.WithLogger(slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	req := &scpvpn.Request{Method: http.MethodGet, Path: "/v1/vpn-tunnels", APIVersion: "vpn 1.1",
		Query: url.Values{"pre_shared_key": {review3PSK}}}
	var viaLogValue bytes.Buffer
	slog.New(slog.NewJSONHandler(&viaLogValue, nil)).Info("sending", "req", *req)
	require.NotContains(t, viaLogValue.String(), review3PSK, "precondition: Request.LogValue treats a query value of pre_shared_key as a secret")

	err := c.Do(ctx, req, nil)
	require.Error(t, err)
	if strings.Contains(err.Error(), review3PSK) {
		t.Errorf("the error of a Do whose query holds pre_shared_key (a secret by Request.LogValue's rule) shows it: %v", err)
	}
	if strings.Contains(logged.String(), review3PSK) {
		t.Errorf("the SDK's debug log shows the pre_shared_key of a Do's query, which Request.LogValue hides: %.300s", logged.String())
	}
}
