package scpvpn_test

// Review 3: Delete reads no answer body, so any 2xx is "deleted". A proxy
// or CDN in front of the API that answers a path it does not route with
// its own 200 page (a single-page app's index.html fallback, a captive
// portal, a WAF's block page served as 200) makes Delete report success
// while the service never saw the request: a teardown script says it
// removed gateways that keep running (the 404 rule of issue 17, item 3,
// for a 2xx). The API answers a DELETE 202 Accepted; a 2xx whose body is
// not the API's (HTML here) confirms nothing and must be settled by
// reading back, or be ErrUnexpectedAnswer / ErrOutcomeUnknown, never nil.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestReview3DeleteAnsweredByAProxysPageIsNotDone(t *testing.T) {
	var deletes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			deletes.Add(1)
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><html><body><div id=app></div></body></html>"))
	}))
	t.Cleanup(srv.Close)
	c := urlClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	for name, del := range map[string]func() error{
		"gateway":        func() error { return c.V1Dot1.Gateways.Delete(ctx, "gw1") },
		"tunnel":         func() error { return c.V1Dot1.Tunnels.Delete(ctx, "tn1") },
		"tunnel (v1.0)":  func() error { return c.V1Dot0.Tunnels.Delete(ctx, "tn1") },
		"gateway (v1.0)": func() error { return c.V1Dot0.Gateways.Delete(ctx, "gw1") },
	} {
		if err := del(); err == nil {
			t.Errorf("Delete of a %s answered 200 with an HTML page (a proxy's, not the API's 202) reported success: nothing confirms the service deleted anything", name)
		}
	}
	if deletes.Load() == 0 {
		t.Fatal("precondition: the DELETEs were sent")
	}
}
