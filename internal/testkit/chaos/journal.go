package chaos

// What the proxy did: one record per request, and counters.

import (
	"fmt"
	"maps"
	"strings"
	"time"
)

// The protocols of Exchange.Proto.
const (
	HTTP1 = "HTTP/1.1"
	HTTP2 = "HTTP/2.0"
)

// An Exchange is what happened to one request.
type Exchange struct {
	// Seq numbers exchanges from 1 in the order they were recorded, which
	// is before the client could see any of the answer.
	Seq uint64
	// Conn numbers the client's connection, from 1.
	Conn uint64
	// Proto is the protocol the client spoke: HTTP1 or HTTP2.
	Proto string
	// TLS is whether the client's connection was TLS.
	TLS bool
	// Reused is whether an earlier request came over the same connection.
	Reused bool
	// Start is when the request started to arrive (over HTTP/2, when its
	// headers had).
	Start time.Time
	// Method and Target are the request line's, as sent (over HTTP/2,
	// :method and :path). A request reset before it was read has what had
	// arrived of them.
	Method, Target string
	// Tag is the value of the request's Config.TagHeader, "" when it had
	// none (or it had not arrived before a reset).
	Tag string
	// Body is the request's body as sent (nil for a request reset before
	// it was read).
	Body []byte
	// Fault is what the proxy did to it.
	Fault Fault
	// Informational is the 1xx status an Informational fault sent before
	// (or instead of) the answer.
	Informational int
	// Detail says which body a NotRouted or Undecodable answer carried:
	// "empty", "text", "html", "{}" or "cut".
	Detail string
	// Status is the final status sent to the client, 0 when none was (a
	// reset, a drop, a lone informational answer).
	Status int
	// Forwarded is whether the request was sent to the upstream, which
	// may then have acted on it.
	Forwarded bool
	// UpstreamStatus is the upstream's answer, 0 when it gave none.
	UpstreamStatus int
	// UpstreamErr is why the upstream gave no answer, "" when it did or
	// was not asked.
	UpstreamErr string
}

// Path returns the target without its query.
func (e Exchange) Path() string {
	p, _, _ := strings.Cut(e.Target, "?")
	return p
}

// String describes e on one line, for logs: "#12 conn 3 HTTP/2.0
// 15:04:05.000000 PUT /v1/vpn-gateways/x: reset-after (upstream 200)".
func (e Exchange) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d conn %d %s %s %s %s: ", e.Seq, e.Conn, e.Proto, e.Start.Format("15:04:05.000000"), e.Method, e.Target)
	switch e.Fault {
	case None:
		b.WriteString("relayed")
	case ServerError, TooManyRequests:
		fmt.Fprintf(&b, "answered %d", e.Status)
	case NotRouted:
		fmt.Fprintf(&b, "answered %d not routed (%s)", e.Status, e.Detail)
	case Informational:
		fmt.Fprintf(&b, "answered %d", e.Informational)
		if e.Status != 0 {
			fmt.Fprintf(&b, " then %d", e.Status)
		} else {
			b.WriteString(" alone")
		}
	case Undecodable:
		fmt.Fprintf(&b, "answered %d undecodable (%s)", e.Status, e.Detail)
	default:
		b.WriteString(string(e.Fault))
	}
	switch {
	case e.UpstreamErr != "":
		fmt.Fprintf(&b, " (upstream failed: %s; answered %d)", e.UpstreamErr, e.Status)
	case e.Forwarded:
		fmt.Fprintf(&b, " (upstream %d)", e.UpstreamStatus)
	default:
		b.WriteString(" (not forwarded)")
	}
	if e.Reused {
		b.WriteString(" on a reused connection")
	}
	return b.String()
}

// Stats counts what the proxy did.
type Stats struct {
	// Requests is the number of requests that arrived (and were recorded).
	Requests int
	// Protos counts them by protocol (HTTP1, HTTP2).
	Protos map[string]int
	// Forwarded is how many of them were sent to the upstream.
	Forwarded int
	// Faults counts the faults injected, by kind.
	Faults map[Fault]int
	// Statuses counts the answers the proxy made up itself (those of
	// ServerError, TooManyRequests and NotRouted, and the informational
	// statuses of Informational), by status.
	Statuses map[int]int
	// ForwardedErrors is how many ServerError answers were sent after the
	// upstream acted.
	ForwardedErrors int
	// UpstreamErrors is how many requests the upstream did not answer; the
	// proxy answered them 502, which is not counted as a fault.
	UpstreamErrors int
	// ConnsOpened is the number of client connections accepted;
	// PeakConns the most open at once; OpenConns those open now.
	ConnsOpened, PeakConns, OpenConns int
}

// TotalFaults is the number of faults injected, of every kind.
func (s Stats) TotalFaults() int {
	n := 0
	for _, c := range s.Faults {
		n += c
	}
	return n
}

// clone returns a copy that shares no map with s.
func (s Stats) clone() Stats {
	c := s
	c.Protos = maps.Clone(s.Protos)
	c.Faults = maps.Clone(s.Faults)
	c.Statuses = maps.Clone(s.Statuses)
	return c
}
