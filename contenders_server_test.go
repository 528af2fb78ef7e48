package scpvpn_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn/internal/sigverify"
	"github.com/scpsdk/scpvpn/internal/testkit/interleave"
)

// The loopback server of the contender benchmarks: it verifies every
// request's signature and headers, so every contender pays the same server
// cost, and answers each call with the same canned reference answer
// whoever sent it.

const (
	contenderAccessKey = "contenderAccessKey"
	contenderSecretKey = "contenderSecretKey"               //nolint:gosec // a test key
	contenderGatewayID = "0fdd87aab8cb46f59b7c1f81ed03fb3e" // the reference answers' gateway
	contenderListSize  = 20
	gatewaysURLPath    = "/v1/vpn-gateways"
)

// contenderServer serves the five gateway calls of version 1.1.
type contenderServer struct {
	*httptest.Server
	get, list, create, set []byte // canned answer bodies

	// conns counts the connections the server accepted: a client that
	// keeps too few idle connections pays for new ones.
	conns atomic.Int64
	// seen, when set, is told of every request that passed the checks,
	// with its body. Set it before the first request.
	seen func(r *http.Request, body []byte)
}

// newContenderServer starts the server; it closes when tb ends.
func newContenderServer(tb testing.TB) *contenderServer {
	tb.Helper()
	s := &contenderServer{
		get:    readContenderFixture(tb, "gateway_get_response"),
		create: readContenderFixture(tb, "gateway_create_response"),
		set:    readContenderFixture(tb, "gateway_set_response"),
		list:   contenderListAnswer(tb, readContenderFixture(tb, "gateway_list_response")),
	}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func readContenderFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "v1.1", name+".json"))
	require.NoError(tb, err)
	return b
}

// contenderListAnswer makes a page of contenderListSize gateways out of the
// reference list answer, whose one gateway is repeated with its own id and
// name each time.
func contenderListAnswer(tb testing.TB, reference []byte) []byte {
	tb.Helper()
	var page map[string]any
	require.NoError(tb, json.Unmarshal(reference, &page))
	items, ok := page["vpn_gateways"].([]any)
	require.True(tb, ok && len(items) > 0, "the reference list has a gateway")
	one, ok := items[0].(map[string]any)
	require.True(tb, ok)
	gateways := make([]any, contenderListSize)
	for i := range gateways {
		gw := make(map[string]any, len(one))
		for k, v := range one {
			gw[k] = v
		}
		gw["id"] = fmt.Sprintf("%s%02d", contenderGatewayID[:len(contenderGatewayID)-2], i)
		gw["name"] = fmt.Sprintf("ExampleVpnGW%d", i)
		gateways[i] = gw
	}
	page["vpn_gateways"], page["count"], page["size"] = gateways, contenderListSize, contenderListSize
	b, err := json.Marshal(page)
	require.NoError(tb, err)
	return b
}

// contenderHeaders must come with every request.
var contenderHeaders = []string{
	"Scp-Accesskey", "Scp-Timestamp", "Scp-Clienttype", "Scp-Signature",
	"Scp-Api-Version", "Accept", "Accept-Language",
}

func (s *contenderServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "reading the body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := sigverify.Verify(r, contenderSecretKey); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if problem := checkContenderRequest(r, body); problem != "" {
		http.Error(w, problem, http.StatusBadRequest)
		return
	}
	answer, status := s.answer(r)
	if status == 0 {
		http.NotFound(w, r)
		return
	}
	if s.seen != nil {
		s.seen(r, body)
	}
	if answer != nil {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
	}
	w.WriteHeader(status)
	_, _ = w.Write(answer)
}

// checkContenderRequest returns what is wrong with a signed request, or "".
func checkContenderRequest(r *http.Request, body []byte) string {
	if r.Header.Get("Scp-Accesskey") != contenderAccessKey {
		return "unknown access key"
	}
	for _, h := range contenderHeaders {
		if r.Header.Get(h) == "" {
			return "missing header " + h
		}
	}
	if v := r.Header.Get("Scp-Api-Version"); v != "vpn 1.1" {
		return "Scp-Api-Version " + v
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			return "the body is not sent as application/json"
		}
		if !json.Valid(body) || !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
			return "the body is not a JSON object"
		}
	} else if len(body) > 0 {
		return "a body where none belongs"
	}
	return ""
}

// answer returns the canned answer and status for r's call; status 0 for
// a call the server does not serve.
func (s *contenderServer) answer(r *http.Request) ([]byte, int) {
	if r.URL.Path == gatewaysURLPath {
		switch r.Method {
		case http.MethodGet:
			return s.list, http.StatusOK
		case http.MethodPost:
			return s.create, http.StatusAccepted
		}
		return nil, 0
	}
	if id, ok := strings.CutPrefix(r.URL.Path, gatewaysURLPath+"/"); !ok || id != contenderGatewayID {
		return nil, 0
	}
	switch r.Method {
	case http.MethodGet:
		return s.get, http.StatusOK
	case http.MethodPut:
		return s.set, http.StatusOK
	case http.MethodDelete:
		return nil, http.StatusAccepted
	}
	return nil, 0
}

// serverAllocs returns what the server allocates per call on its own: the
// bytes of one signed request (the server does not check the timestamp's
// age, so a request can be sent again) are written again and again on one
// connection and the answer read into a fixed buffer, which allocates
// nothing on the client's side. The contenders' allocation counts include
// this share.
func (s *contenderServer) serverAllocs(tb testing.TB, request []byte, n int) interleave.Allocs {
	tb.Helper()
	conn, err := net.Dial("tcp", s.Listener.Addr().String())
	require.NoError(tb, err)
	defer conn.Close()
	// A wrong length below would wait for bytes that never come.
	require.NoError(tb, conn.SetDeadline(time.Now().Add(time.Minute)))
	// The first answer is read as HTTP, to learn its length on the wire,
	// which stays the same: the Date header has a fixed width.
	counted := &countingReader{r: conn}
	_, err = conn.Write(request)
	require.NoError(tb, err)
	br := bufio.NewReader(counted)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(tb, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(tb, err)
	require.NoError(tb, resp.Body.Close())
	require.Less(tb, resp.StatusCode, 300, "the request is answered")
	require.Zero(tb, br.Buffered(), "one answer per request")
	answer := make([]byte, counted.n)

	a, err := interleave.MeasureAllocs(n, 1, func() error {
		if _, err := conn.Write(request); err != nil {
			return err
		}
		_, err := io.ReadFull(conn, answer)
		return err
	})
	require.NoError(tb, err)
	return a
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// wireRequest returns the bytes the net/http contender sends for call.
func wireRequest(tb testing.TB, s *contenderServer, call contenderCall) []byte {
	tb.Helper()
	var wire []byte
	capture := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		b, err := httputil.DumpRequestOut(req, true)
		if err != nil {
			return nil, err
		}
		wire = b
		return http.DefaultTransport.RoundTrip(req)
	})
	require.NoError(tb, call.plain(context.Background(), plainHTTP{&http.Client{Transport: capture}}, s.URL))
	require.NotEmpty(tb, wire)
	return wire
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
