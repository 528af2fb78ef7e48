package scpvpn

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/scpsdk/scpvpn/internal/retry"
)

// Option configures a Client; pass options to NewClient or NewClientFromEnv.
// Later options override earlier ones.
type Option func(*settings)

// settings gathers what the options say before NewClient checks it.
type settings struct {
	endpoint       string
	region         string
	environment    string
	accessKey      string
	secretKey      string
	accountID      string
	httpClient     *http.Client
	transport      http.RoundTripper
	timeout        time.Duration
	logger         *slog.Logger
	logBodies      bool
	retry          RetryPolicy
	wait           WaitPolicy
	acceptLanguage string
	userAgent      string
	noValidation   bool
}

// WithEndpoint sets the service URL, such as
// "https://vpn.kr-west1.e.samsungsdscloud.com". http:// is allowed for tests
// and proxies; a path prefix is kept. WithEndpoint and WithRegion replace
// each other: the later one wins.
func WithEndpoint(url string) Option {
	return func(s *settings) { s.endpoint, s.region, s.environment = url, "", "" }
}

// WithRegion derives the endpoint https://vpn.{region}.{environment}.samsungsdscloud.com,
// such as region "kr-west1" in environment "e". WithEndpoint and WithRegion
// replace each other: the later one wins.
func WithRegion(region, environment string) Option {
	return func(s *settings) { s.endpoint, s.region, s.environment = "", region, environment }
}

// WithCredentials sets the access key and secret key that sign requests.
func WithCredentials(accessKey, secretKey string) Option {
	return func(s *settings) { s.accessKey, s.secretKey = accessKey, secretKey }
}

// WithAccountID sends and signs Scp-AccountId. SCP's own tools leave it out.
func WithAccountID(id string) Option {
	return func(s *settings) { s.accountID = id }
}

// WithHTTPClient uses hc to send requests. The SDK works on a copy of it: it
// wraps hc's transport (the SDK's default transport when nil) with its signing,
// keeps hc's timeout (DefaultTimeout when hc has none; see WithTimeout) and
// cookie jar, and never follows redirects, so that a signed request is not
// replayed to another host. hc itself is not modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithTransport sends requests through rt (signing is added around it), in
// place of the SDK's default transport or the transport of WithHTTPClient.
// Use it for proxies, custom TLS, or test doubles such as httpmock.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) { s.transport = rt }
}

// WithTimeout bounds each attempt, from sending the request to reading the
// whole answer; retries get a fresh timeout. The default is DefaultTimeout;
// zero or less means no bound besides the context's. Bound a whole call,
// retries included, with the context.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) {
		if d <= 0 {
			d = -1
		}
		s.timeout = d
	}
}

// WithLogger logs each attempt at debug level: method, URL, status, attempt,
// duration and request id. The signature and every secret stay out of the
// records; bodies are logged only with WithBodyLogging. A nil logger, or one
// whose handler does not enable debug records, costs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) { s.logger = l }
}

// WithBodyLogging adds request and response bodies to the debug records of
// WithLogger, with pre-shared keys and other secrets replaced by [REDACTED].
func WithBodyLogging() Option {
	return func(s *settings) { s.logBodies = true }
}

// WithRetryPolicy replaces DefaultRetryPolicy. Which failures are retried is
// fixed by the SDK for safety (see RetryPolicy); how often and how patiently
// is the policy's.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) { s.retry = p }
}

// WithoutRetries makes every call a single attempt.
func WithoutRetries() Option {
	return WithRetryPolicy(RetryPolicy{MaxAttempts: 1})
}

// WithWaitPolicy replaces DefaultWaitPolicy for the waiters.
func WithWaitPolicy(p WaitPolicy) Option {
	return func(s *settings) { s.wait = p }
}

// WithAcceptLanguage sets Accept-Language, the language of the API's
// messages: "en-US" (the default) or "ko-KR". An empty lang keeps the default.
func WithAcceptLanguage(lang string) Option {
	return func(s *settings) {
		if lang != "" {
			s.acceptLanguage = lang
		}
	}
}

// WithUserAgent appends product to the User-Agent, after
// "scpvpn-go/<version> go/<go version>", so that SCP can tell your tool's
// traffic apart.
func WithUserAgent(product string) Option {
	return func(s *settings) { s.userAgent = product }
}

// WithoutValidation turns off the SDK's checks of request fields before
// sending, for callers who know the service accepts what the SDK's rules
// refuse. Ids are still checked: an empty id would address another resource.
func WithoutValidation() Option {
	return func(s *settings) { s.noValidation = true }
}

// RetryPolicy says how many attempts a call gets and how long to wait between
// them. The SDK decides which failures may be retried, so that nothing is done
// twice by accident: GET, PUT and DELETE are retried on connection errors and
// on 429, 502, 503 and 504; a POST (create) is retried only when the
// connection could not be opened, or on 429, because otherwise it may have
// created the resource already. When the answer to a PUT or DELETE is lost
// after the service acted on it, the retry is answered 404 (gone) or 409
// (already EDITING or DELETING); the SDK checks the resource and reports the
// call's success rather than the conflict with its own first attempt.
//
// A duration left at zero (or set below it) takes DefaultRetryPolicy's value,
// so that a policy that only sets MaxAttempts still backs off and still caps
// Retry-After.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included; 1 or
	// less means no retries.
	MaxAttempts int
	// BaseDelay is the backoff ceiling after the first attempt; it doubles
	// with every attempt up to MaxDelay, and the wait is drawn uniformly
	// below it (full jitter).
	BaseDelay time.Duration
	// MaxDelay caps the backoff.
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a Retry-After header (seconds or an HTTP
	// date) is honoured.
	MaxRetryAfter time.Duration
}

// internal returns the request path's policy. Zero durations take the
// defaults: without them a retry would follow at once, and a server's
// Retry-After could park a call for a day.
func (p RetryPolicy) internal() retry.Policy {
	d := DefaultRetryPolicy()
	if p.BaseDelay <= 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = d.MaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = d.MaxRetryAfter
	}
	return retry.Policy{
		MaxAttempts:   p.MaxAttempts,
		BaseDelay:     p.BaseDelay,
		MaxDelay:      p.MaxDelay,
		MaxRetryAfter: p.MaxRetryAfter,
	}
}

// DefaultRetryPolicy is used unless WithRetryPolicy or WithoutRetries says
// otherwise: 3 attempts, backoff from 500ms capped at 20s, Retry-After up to
// one minute.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second, MaxRetryAfter: time.Minute}
}

// DefaultTimeout bounds each attempt unless WithTimeout says otherwise.
const DefaultTimeout = 60 * time.Second

// DefaultAcceptLanguage is sent unless WithAcceptLanguage says otherwise.
const DefaultAcceptLanguage = "en-US"
