package vpntest

// This file holds fault injection: scripted answers (Script and its
// Steps) and added latency (SetLatency), applied before any check.

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// A Step is one scripted answer of the server; see Script. The zero Step
// serves the request normally.
type Step struct {
	// Status, when not zero, is answered instead of serving the request,
	// with Body and Header. Zero serves the request normally, after Delay,
	// with Header added to the normal answer.
	Status int
	// Body is the body answered with Status; JSON unless Header sets
	// another Content-Type. When Body is empty and Status is 400 or more,
	// the body is the API's error body, {"errors":[{"code": ...,
	// "detail": ...}]}, with a generic detail.
	Body string
	// Header holds headers to add to the answer, such as Retry-After.
	Header http.Header
	// Delay is how long to wait before answering. The wait ends early if
	// the client goes away or the server is closed; the connection is
	// then closed without an answer.
	Delay time.Duration
	// Drop closes the connection, after Delay, without a complete answer,
	// so that the client sees a transport error. The server sends a
	// truncated status line before closing: a clean close before the
	// first byte would let Go's http.Transport silently replay an
	// idempotent request that it sent on a reused connection. In process
	// (see Server.Handler), where there is no connection to close, Drop
	// panics with http.ErrAbortHandler.
	Drop bool
}

// Respond returns a Step answering status, with headers given as pairs of
// key and value: Respond(503, "Retry-After", "2"). It panics if headers
// has an odd length.
func Respond(status int, headers ...string) Step {
	if len(headers)%2 != 0 {
		panic("vpntest: Respond: headers must be pairs of key and value")
	}
	s := Step{Status: status}
	if len(headers) > 0 {
		s.Header = make(http.Header, len(headers)/2)
		for i := 0; i+1 < len(headers); i += 2 {
			s.Header.Add(headers[i], headers[i+1])
		}
	}
	return s
}

// Drop returns a Step that closes the connection without answering.
func Drop() Step { return Step{Drop: true} }

// Pass returns a Step that serves the request normally: a placeholder
// that lets a script leave a request alone.
func Pass() Step { return Step{} }

// Delay returns a Step that serves the request normally after d.
func Delay(d time.Duration) Step { return Step{Delay: d} }

// script is a queue of steps for the requests matching method and pattern.
type script struct {
	method, pattern string
	steps           []Step
}

// latencyRule adds d to every request matching method and pattern.
type latencyRule struct {
	method, pattern string
	d               time.Duration
}

// faults holds the injected faults; its own lock keeps delays from holding
// up the state.
type faults struct {
	mu        sync.Mutex
	scripts   []*script
	latencies []latencyRule
}

// checkPattern reports whether pattern is one that Script, SetLatency and
// CountRequests understand: "*", an absolute path, or an absolute path
// prefix ending in "*".
func checkPattern(pattern string) error {
	if pattern == "*" || strings.HasPrefix(pattern, "/") && !strings.Contains(strings.TrimSuffix(pattern, "*"), "*") {
		return nil
	}
	return fmt.Errorf("invalid path pattern %q: want \"*\", an exact path such as \"/v1/vpn-gateways\" or a prefix such as \"/v1/vpn-gateways/*\"", pattern)
}

// matches reports whether a request with method and path matches the
// method ("" for any) and pattern of a fault.
func matches(method, pattern, reqMethod, reqPath string) bool {
	if method != "" && !strings.EqualFold(method, reqMethod) {
		return false
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(reqPath, prefix)
	}
	return pattern == reqPath
}

// Script queues steps for the requests matching method and pattern. Each
// matching request consumes the next step; once all are consumed, requests
// are served normally again. When several scripts match a request, the
// first registered that has steps left wins. Scripted answers come before
// any check, so they answer even unsigned requests, and they are recorded
// by Requests.
//
// method is an HTTP method, or "" for any. pattern is an exact path, such
// as "/v1/vpn-gateways", a path prefix ending in "*", such as
// "/v1/vpn-gateways/*" (every gateway by id, not the collection), or "*"
// for every path. Script panics on any other pattern, and on a Status
// that is not a valid HTTP status: both are mistakes in the test.
func (s *Server) Script(method, pattern string, steps ...Step) {
	if err := checkPattern(pattern); err != nil {
		panic("vpntest: Script: " + err.Error())
	}
	for _, st := range steps {
		if st.Status != 0 && (st.Status < 100 || st.Status > 999) {
			panic(fmt.Sprintf("vpntest: Script: invalid status %d", st.Status))
		}
	}
	if len(steps) == 0 {
		return
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.scripts = append(s.faults.scripts, &script{method: method, pattern: pattern, steps: steps})
}

// SetLatency adds d to the time taken to answer every request matching
// method and pattern (as in Script), before any scripted step. The
// latencies of all the rules that match a request add up. Setting again
// the same method and pattern replaces the latency; d <= 0 removes it.
func (s *Server) SetLatency(method, pattern string, d time.Duration) {
	if err := checkPattern(pattern); err != nil {
		panic("vpntest: SetLatency: " + err.Error())
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	rules := s.faults.latencies[:0]
	for _, l := range s.faults.latencies {
		if l.method != method || l.pattern != pattern {
			rules = append(rules, l)
		}
	}
	if d > 0 {
		rules = append(rules, latencyRule{method: method, pattern: pattern, d: d})
	}
	s.faults.latencies = rules
}

// ResetFaults removes every script and latency.
func (s *Server) ResetFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.scripts = nil
	s.faults.latencies = nil
}

// next returns the latency of a request and consumes its scripted step, if
// any: the first script registered that matches and has steps left.
func (f *faults) next(method, path string) (latency time.Duration, step Step, scripted bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.latencies {
		if matches(l.method, l.pattern, method, path) {
			latency += l.d
		}
	}
	for i, s := range f.scripts {
		if !matches(s.method, s.pattern, method, path) {
			continue
		}
		step, s.steps = s.steps[0], s.steps[1:]
		if len(s.steps) == 0 {
			f.scripts = append(f.scripts[:i], f.scripts[i+1:]...)
		}
		return latency, step, true
	}
	return latency, Step{}, false
}

// injectFaults applies the latency and the scripted step of r. It reports
// whether the request is done with: answered, dropped, or abandoned by the
// client while waiting.
func (s *Server) injectFaults(w http.ResponseWriter, r *http.Request) bool {
	latency, step, scripted := s.faults.next(r.Method, r.URL.Path)
	if retry.Sleep(r.Context(), latency+step.Delay) != nil { // the client went away, or the server closed
		abandon(w)
		return true
	}
	if !scripted {
		return false
	}
	// Scripted headers replace those of the same name, X-Request-Id
	// included.
	for k, vs := range step.Header {
		w.Header()[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	switch {
	case step.Drop:
		drop(w)
		return true
	case step.Status != 0:
		writeScripted(w, step)
		return true
	}
	return false
}

// drop closes the connection without a complete answer.
func drop(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not a hijackable connection (HTTP/2, or an in-process
		// ResponseWriter): the server's own way to abort a response.
		panic(http.ErrAbortHandler)
	}
	// A clean close before the first byte of an answer lets http.Transport
	// replay an idempotent request on a reused connection by itself, hiding
	// the failure from the client; a truncated status line does not.
	_, _ = buf.WriteString("HTTP/1.1")
	_ = buf.Flush()
	_ = conn.Close()
}

// abandon closes the connection of a request whose wait was cut short, by
// the client or by the server shutting down: returning without a word
// would make net/http answer an empty 200. In process, where there is no
// connection, it does nothing.
func abandon(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// writeScripted answers the status and body of step, or the API's error
// body for an error status without a body.
func writeScripted(w http.ResponseWriter, step Step) {
	body := step.Body
	if body == "" && step.Status >= 400 {
		writeJSON(w, step.Status, (&apiError{
			code:    scriptedCode(step.Status),
			details: []string{http.StatusText(step.Status) + " (injected by vpntest)"},
		}).body())
		return
	}
	if body != "" && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(step.Status)
	_, _ = w.Write([]byte(body))
}

// scriptedCode is the error code of a scripted error status.
func scriptedCode(status int) string {
	if status == http.StatusInternalServerError {
		return "ContactAdminForAssistance" // as the service answers
	}
	if t := http.StatusText(status); t != "" {
		return strings.ReplaceAll(strings.ReplaceAll(t, " ", ""), "-", "")
	}
	return fmt.Sprintf("Status%d", status)
}
