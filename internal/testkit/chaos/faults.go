package chaos

// The faults the proxy injects, how they are configured, and the random
// choice of one per request.

import (
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// A Fault is what the proxy does to one request instead of relaying it
// faithfully.
type Fault string

// The faults. Whether the upstream saw the request is recorded with each
// exchange (Exchange.Forwarded). Over HTTP/2 a fault acts on its stream,
// not on the connection, except Dropped.
const (
	// None relays the request and its answer unharmed.
	None Fault = ""
	// ResetBefore resets the connection (RST) as soon as a request starts
	// to arrive, before reading it: the upstream never sees it. Over
	// HTTP/2 the request is read and its stream reset with
	// REFUSED_STREAM, which says that nothing was done (net/http resends
	// such a request itself).
	ResetBefore Fault = "reset-before"
	// ResetAfter forwards the request, reads the upstream's whole answer,
	// then resets the connection: the service acted, the answer is lost.
	// Over HTTP/2 the stream is reset with PROTOCOL_ERROR, on which
	// net/http resends a request whose body it can rewind, up to six
	// times.
	ResetAfter Fault = "reset-after"
	// Truncated forwards the request and sends the status line and headers
	// of the answer with its full Content-Length, then only part of the
	// body, then closes the connection (over HTTP/2, ends the stream). An
	// answer without a body cannot be cut and is relayed unharmed.
	Truncated Fault = "truncated"
	// Slow forwards the request and holds the answer for Config.SlowHold,
	// or until the client hangs up, whichever comes first.
	Slow Fault = "slow"
	// ServerError answers 500, 502, 503 or 504, the start of a burst of up
	// to Config.MaxBurst such answers in a row. 503 is answered without
	// forwarding (the service did not act); 500, 502 and 504 half the time
	// after forwarding (the service acted, the gateway lost the answer)
	// and half the time without.
	ServerError Fault = "5xx"
	// TooManyRequests answers 429 with Retry-After, without forwarding.
	TooManyRequests Fault = "429"
	// Dropped forwards the request, reads the upstream's whole answer,
	// then closes the connection (FIN, no RST) without answering. On a
	// connection that carried an earlier request (Exchange.Reused),
	// net/http takes this for a server that closed an idle connection
	// and resends the request itself if it thinks it safe: a GET, or any
	// request with an Idempotency-Key or X-Idempotency-Key header. Over
	// HTTP/2 every stream of the connection is lost with it.
	Dropped Fault = "drop-after"
	// Informational answers 101 Switching Protocols or 103 Early Hints,
	// half the time after forwarding and half without. A 101, and half of
	// the 103s after forwarding, are all the client gets: the connection
	// (over HTTP/2, the stream) is then held as a Slow answer is and
	// closed (reset). The other 103s are followed by the upstream's answer.
	Informational Fault = "1xx"
	// NotRouted answers 404 without forwarding and without the API's error
	// body, as a proxy or API gateway does for a path it does not route:
	// an empty body, a plain-text or an HTML page.
	NotRouted Fault = "404"
	// Undecodable forwards a POST and, when the upstream accepted it (2xx
	// with a body), answers the same status with a body the client cannot
	// decode: "{}", an HTML page, or the JSON cut short (with the length
	// of what is sent, so that the answer reads whole). Other requests,
	// and other answers, are relayed unharmed.
	Undecodable Fault = "undecodable"
)

// Faults lists every fault but None, in the order the summary of a run
// names them.
var Faults = []Fault{ResetBefore, ResetAfter, Truncated, Slow, ServerError, TooManyRequests, Dropped, Informational, NotRouted, Undecodable}

// Rates are the probabilities, per request, of each fault. Their sum must
// not exceed 1; what is left is the probability of None. A request within a
// server-error burst gets a server error whatever the rates.
type Rates struct {
	ResetBefore, ResetAfter, Truncated, Slow, ServerError, TooManyRequests float64
	Dropped, Informational, NotRouted, Undecodable                         float64
}

// of returns the rate of f.
func (r Rates) of(f Fault) float64 {
	if p := r.field(f); p != nil {
		return *p
	}
	return 0
}

// Only returns the rates of faults, and zero for the others.
func (r Rates) Only(faults ...Fault) Rates {
	var kept Rates
	for _, f := range faults {
		if p := kept.field(f); p != nil {
			*p = r.of(f)
		}
	}
	return kept
}

// field returns the rate of f in r, nil for an unknown fault.
func (r *Rates) field(f Fault) *float64 {
	switch f {
	case ResetBefore:
		return &r.ResetBefore
	case ResetAfter:
		return &r.ResetAfter
	case Truncated:
		return &r.Truncated
	case Slow:
		return &r.Slow
	case ServerError:
		return &r.ServerError
	case TooManyRequests:
		return &r.TooManyRequests
	case Dropped:
		return &r.Dropped
	case Informational:
		return &r.Informational
	case NotRouted:
		return &r.NotRouted
	case Undecodable:
		return &r.Undecodable
	}
	return nil
}

// Config says where the proxy forwards to and which faults it injects.
type Config struct {
	// Upstream is the host:port of the HTTP/1.1 server behind the proxy's
	// plain listener (Proxy.URL).
	Upstream string
	// Addr is the address to listen on; "127.0.0.1:0" when empty.
	Addr string
	// TLSUpstream, when set, has the proxy listen for TLS too
	// (Proxy.TLSURL), with a certificate of its own that Proxy.RootCAs
	// vouches for, and speak HTTP/2 or HTTP/1.1 there as the client's ALPN
	// chooses. What arrives there is forwarded over TLS, as HTTP/1.1, to
	// TLSUpstream (host:port), with the Host the client sent: the upstream
	// sees the request as the client sent it to an https URL, so that a
	// signature over that URL verifies.
	TLSUpstream string
	// UpstreamRootCAs vouches for TLSUpstream's certificate; nil means the
	// system's roots.
	UpstreamRootCAs *x509.CertPool
	// TLSAddr is the address of the TLS listener; "127.0.0.1:0" when
	// empty.
	TLSAddr string
	// Seed seeds the random choice of faults. Requests from several
	// connections draw in the order they arrive, so only a single client
	// sending one request at a time sees the same faults on every run.
	Seed uint64
	// Rates are the probabilities of each fault.
	Rates Rates
	// MaxBurst is the longest run of server errors a ServerError fault
	// starts, itself included: each burst is 1 to MaxBurst requests long.
	// Zero or less means 1.
	MaxBurst int
	// SlowHold is how long a Slow answer, or a lone informational one, is
	// held back unless the client hangs up first. Zero or less means a
	// minute.
	SlowHold time.Duration
	// RetryAfter is the Retry-After of 429 answers, in seconds. Zero or
	// less means 1.
	RetryAfter int
	// Journal keeps a record of every exchange, for Proxy.Journal.
	Journal bool
	// TagHeader, when set, names a request header whose value is kept as
	// Exchange.Tag, so that Proxy.Tagged finds every request that carried
	// it: a client that tags each of its calls can count what each sent.
	TagHeader string
}

// check refuses rates that are not probabilities.
func (c Config) check() error {
	if c.Upstream == "" {
		return errors.New("chaos: no upstream address")
	}
	sum := 0.0
	for _, f := range Faults {
		r := c.Rates.of(f)
		if r < 0 || r > 1 || r != r { // r != r: NaN
			return fmt.Errorf("chaos: the rate of %s is %v, not a probability", f, r)
		}
		sum += r
	}
	if sum > 1+1e-9 {
		return fmt.Errorf("chaos: the rates add up to %v, more than 1", sum)
	}
	return nil
}

// withDefaults fills in the zero values Config documents.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.TLSAddr == "" {
		c.TLSAddr = "127.0.0.1:0"
	}
	if c.MaxBurst < 1 {
		c.MaxBurst = 1
	}
	if c.SlowHold <= 0 {
		c.SlowHold = time.Minute
	}
	if c.RetryAfter <= 0 {
		c.RetryAfter = 1
	}
	return c
}

// plan is what the proxy does with one request.
type plan struct {
	fault Fault
	// status is the answer of ServerError, TooManyRequests and
	// NotRouted, and the informational status of Informational.
	status int
	// forward is whether a ServerError or an Informational answer is
	// given after the upstream saw the request.
	forward bool
	// answer is whether an Informational answer is followed by the
	// upstream's.
	answer bool
	// cut is how much of the body a Truncated answer keeps, or an
	// Undecodable one that cuts its JSON, as a fraction in [0, 1).
	cut float64
	// variant chooses among the bodies of NotRouted and Undecodable.
	variant int
}

// dice draws plans. It is not safe for concurrent use: the proxy holds its
// lock around draw.
type dice struct {
	rates    Rates
	maxBurst int
	rng      *rand.Rand
	burst    int // server errors still due in the current burst
}

func newDice(cfg Config) *dice {
	return &dice{
		rates:    cfg.Rates,
		maxBurst: cfg.MaxBurst,
		rng:      rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), //nolint:gosec // faults need reproducibility, not secrecy
	}
}

// draw chooses the plan of the next request.
func (d *dice) draw() plan {
	if d.burst > 0 {
		d.burst--
		return d.serverError()
	}
	x := d.rng.Float64()
	for _, f := range Faults {
		r := d.rates.of(f)
		if x >= r {
			x -= r
			continue
		}
		switch f {
		case ServerError:
			d.burst = d.rng.IntN(d.maxBurst)
			return d.serverError()
		case TooManyRequests:
			return plan{fault: f, status: 429}
		case Truncated:
			return plan{fault: f, cut: d.rng.Float64()}
		case Informational:
			return d.informational()
		case NotRouted:
			return plan{fault: f, status: 404, variant: d.rng.IntN(len(notRoutedPages))}
		case Undecodable:
			return plan{fault: f, variant: d.rng.IntN(undecodableVariants), cut: d.rng.Float64()}
		default:
			return plan{fault: f}
		}
	}
	return plan{fault: None}
}

// serverErrors are the statuses of ServerError faults.
var serverErrors = []int{500, 502, 503, 504}

func (d *dice) serverError() plan {
	status := serverErrors[d.rng.IntN(len(serverErrors))]
	return plan{fault: ServerError, status: status, forward: status != 503 && d.rng.IntN(2) == 0}
}

// informational draws 101 or 103, after forwarding or not, and whether a
// 103 after forwarding is followed by the upstream's answer.
func (d *dice) informational() plan {
	pl := plan{fault: Informational, status: 101, forward: d.rng.IntN(2) == 0}
	if d.rng.IntN(2) == 0 {
		pl.status = 103
		pl.answer = pl.forward && d.rng.IntN(2) == 0
	}
	return pl
}
