package scpvpn

// This file holds the options of a client (Option), given to NewClient or
// NewClientFromEnv.

import (
	"log/slog"
	"net/http"
	"time"
)

// Option configures a Client; pass options to NewClient or NewClientFromEnv.
// Later options override earlier ones.
type Option func(*settings)

// settings gathers what the options say before NewClient checks it.
type settings struct {
	endpoint       string
	region         string
	environment    string
	authURL        string // WithCatalog
	catalogRegion  string
	defaultRegion  string // of SCP's configuration: the catalog's region unless one is given
	accessKey      string
	secretKey      string
	accountID      string
	token          string
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
	fromEnv        *configPlaces // where NewClientFromEnv looked, for messages
}

// WithEndpoint sets the service URL, such as
// "https://vpn.kr-west1.e.samsungsdscloud.com". http:// is allowed for tests
// and proxies; a path prefix is kept (but not a final /v1, which the SDK
// adds itself). WithEndpoint, WithCatalog and WithRegion replace each
// other: the later one wins.
func WithEndpoint(url string) Option {
	return func(s *settings) { s.setEndpoint(url, "", "", "", "") }
}

// WithRegion derives the endpoint https://vpn.{region}.{environment}.samsungsdscloud.com,
// such as region "kr-west1" in environment "e". WithEndpoint, WithCatalog
// and WithRegion replace each other: the later one wins.
func WithRegion(region, environment string) Option {
	return func(s *settings) { s.setEndpoint("", region, environment, "", "") }
}

// WithCatalog finds the endpoint in SCP's IAM catalog at authURL (such as
// "https://iam.s.samsungsdscloud.com/v1"): on the client's first call, a
// signed GET {authURL}/endpoints through the client's own transport, bounded
// by that call's context; the scp-vpn entry of region is then used by every
// call. A region the catalog does not list is an error that names the
// regions it does, even when it lists only one; an empty region means the
// default region of SCP's configuration (SCP_DEFAULT_REGION, with
// NewClientFromEnv), and with none the only scp-vpn entry is taken. Many
// first calls at once ask once, and share the outcome, a failure
// included, each still bounded by its own context; a failed lookup is not
// remembered, so the next call asks again.
// An authURL of https:// takes only https:// URLs from its catalog.
// A failed lookup says it is the catalog's and never matches a verdict
// about a resource (ErrNotFound, ErrConflict, ErrBadRequest): the call did
// not reach the VPN service. A 404 of the catalog matches ErrNoEndpoint;
// a 401 or 403, ErrUnauthorized or ErrForbidden; errors.As finds the
// catalog's *APIError.
// Client.Endpoint tells what was found. WithEndpoint, WithCatalog and
// WithRegion replace each other: the later one wins.
func WithCatalog(authURL, region string) Option {
	return func(s *settings) { s.setEndpoint("", "", "", authURL, region) }
}

// endpointGiven reports whether some way to the endpoint was given: a URL,
// a catalog, or a region and environment.
func (s *settings) endpointGiven() bool {
	return s.endpoint != "" || s.authURL != "" || s.region != "" || s.environment != ""
}

func (s *settings) setEndpoint(endpoint, region, environment, authURL, catalogRegion string) {
	s.endpoint, s.region, s.environment, s.authURL, s.catalogRegion = endpoint, region, environment, authURL, catalogRegion
}

// WithCredentials sets the access key and secret key that sign requests.
func WithCredentials(accessKey, secretKey string) Option {
	return func(s *settings) { s.accessKey, s.secretKey = accessKey, secretKey }
}

// WithAccountID sends and signs Scp-AccountId. SCP's own tools leave it out.
func WithAccountID(id string) Option {
	return func(s *settings) { s.accountID = id }
}

// WithAuthToken sends token as X-Auth-Token on every request, besides the
// signature, as SCP's own SDK does when a token is configured. The token
// is a secret: it never appears in logs, errors or fmt output.
func WithAuthToken(token string) Option {
	return func(s *settings) { s.token = token }
}

// WithHTTPClient uses hc to send requests. The SDK works on a copy of it: it
// wraps hc's transport (the SDK's default transport when nil) with its signing,
// keeps hc's timeout (DefaultTimeout when hc has none; see WithTimeout) and
// cookie jar, and never follows redirects, so that a signed request is not
// replayed to another host. hc itself is not modified. A transport made by
// NewSigningTransport, as hc's transport or anywhere below it, does not
// sign the client's requests: the client signs each attempt once, with its
// own keys.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) { s.httpClient = hc }
}

// WithTransport sends requests through rt (signing is added around it), in
// place of the SDK's default transport or the transport of WithHTTPClient.
// Use it for proxies, custom TLS, or test doubles such as httpmock. A
// transport made by NewSigningTransport, as rt or anywhere below it, does
// not sign the client's requests: the client signs each attempt once, with
// its own keys.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) { s.transport = rt }
}

// WithTimeout bounds each attempt, from sending the request to reading the
// whole answer; retries get a fresh timeout. The default is DefaultTimeout;
// zero or less means no bound besides the context's. Bound a whole call,
// retries included, with the context.
//
// When the call's context can never end (context.Background, say),
// attempts that start within a sixteenth of d of each other (at most a
// second) share one deadline rather than each paying for a timer: each
// attempt then gets at least 15/16 of d, and never more than d.
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

// WithBodyLogging adds the bodies of requests and their answers to the
// debug records of WithLogger (as request_body and response_body), with
// pre-shared keys and other secrets replaced by [REDACTED].
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
