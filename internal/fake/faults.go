package fake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Step is one scripted answer; see vpntest.Step for its documentation.
type Step struct {
	Status int
	Body   string
	Header http.Header
	Delay  time.Duration
	Drop   bool
}

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

// CheckPattern reports whether pattern is one that Script, SetLatency and
// CountRequests understand: "*", an absolute path, or an absolute path
// prefix ending in "*".
func CheckPattern(pattern string) error {
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

// Script queues steps for the requests matching method and pattern. It
// panics on an invalid pattern or status, which are programming errors.
func (e *Engine) Script(method, pattern string, steps ...Step) {
	if err := CheckPattern(pattern); err != nil {
		panic("vpntest: Script: " + err.Error())
	}
	for _, s := range steps {
		if s.Status != 0 && (s.Status < 100 || s.Status > 999) {
			panic(fmt.Sprintf("vpntest: Script: invalid status %d", s.Status))
		}
	}
	if len(steps) == 0 {
		return
	}
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.scripts = append(e.faults.scripts, &script{method: method, pattern: pattern, steps: steps})
}

// SetLatency adds d to every request matching method and pattern; d <= 0
// removes the latency set for them.
func (e *Engine) SetLatency(method, pattern string, d time.Duration) {
	if err := CheckPattern(pattern); err != nil {
		panic("vpntest: SetLatency: " + err.Error())
	}
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	rules := e.faults.latencies[:0]
	for _, l := range e.faults.latencies {
		if l.method != method || l.pattern != pattern {
			rules = append(rules, l)
		}
	}
	if d > 0 {
		rules = append(rules, latencyRule{method: method, pattern: pattern, d: d})
	}
	e.faults.latencies = rules
}

// ResetFaults removes every script and latency.
func (e *Engine) ResetFaults() {
	e.faults.mu.Lock()
	defer e.faults.mu.Unlock()
	e.faults.scripts = nil
	e.faults.latencies = nil
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
func (e *Engine) injectFaults(w http.ResponseWriter, r *http.Request) bool {
	latency, step, scripted := e.faults.next(r.Method, r.URL.Path)
	if !sleep(r.Context(), latency+step.Delay) {
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

// sleep waits for d unless ctx ends first, and reports whether it waited
// the whole time.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
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
