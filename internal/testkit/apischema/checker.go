// Package apischema judges HTTP exchanges with the VPN API against its
// OpenAPI documents, one per API version, for the tests of the SDK and of
// vpntest: every request and every answer that passes through a Checker's
// Transport is validated against the document of the version it names in
// Scp-Api-Version, and kept as an Exchange for the test to examine.
//
// Only tests import this package: it is what keeps its validator,
// github.com/pb33f/libopenapi-validator, a test-only dependency.
package apischema

// This file holds the Checker: the documents it loads, how it validates
// one exchange, and what it keeps of it.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/router"
)

// signingHeaders are the headers of SIGNING.md that neither document
// declares. Strict mode would report them as undeclared; they are let
// through here and checked where they mean something (vpntest verifies
// every signature).
var signingHeaders = []string{
	"Scp-Accesskey", "Scp-Timestamp", "Scp-Signature", "Scp-ClientType",
	"Scp-Api-Version", "Scp-AccountId", "X-Auth-Token",
}

// An Exchange is one request and its answer, and what the document of the
// request's API version says about them.
type Exchange struct {
	Version     string // Scp-Api-Version as sent: "vpn 1.0", "vpn 1.1", or anything else
	Method      string
	URL         string // as sent
	Operation   string // the document's operationId, "" when no operation matches
	PathPattern string // the document's path, such as /v1/vpn-gateways/{vpn_gateway_id}
	Status      int    // 0 when no answer came
	RequestBody []byte
	Body        []byte // of the answer

	// RequestErrors and ResponseErrors are the validator's findings, one
	// line each; NoDocument is set when no document has the version.
	RequestErrors  []string
	ResponseErrors []string
	NoDocument     bool
	// NotJudged says why a Recorder kept the exchange without judging it
	// (a body that did not go through whole); "" when it was judged.
	NotJudged string
}

// String describes e in one line, for failure messages.
func (e Exchange) String() string {
	return fmt.Sprintf("%s %s %s (%s) -> %d", e.Version, e.Method, e.URL, e.Operation, e.Status)
}

// A Checker validates exchanges against the documents of each API version.
// It is safe for concurrent use.
type Checker struct {
	docs map[string]*document // by Scp-Api-Version

	mu        sync.Mutex
	exchanges []Exchange
}

// document is one version's OpenAPI document, ready to validate with.
type document struct {
	mu        sync.Mutex // the validator's caches are not documented as safe for concurrent use
	validator validator.Validator
	router    router.Router
}

// New returns a Checker with the documents given by Scp-Api-Version, such
// as {"vpn 1.0": "testdata/openapi/vpn-1.0.yaml"}. Each document must be
// a valid OpenAPI 3.1 document by the specification's own schema.
func New(files map[string]string) (*Checker, error) {
	c := &Checker{docs: make(map[string]*document, len(files))}
	for version, file := range files {
		spec, err := os.ReadFile(file) //nolint:gosec // the test's own document
		if err != nil {
			return nil, fmt.Errorf("apischema: %w", err)
		}
		d, err := sharedDocument(spec)
		if err != nil {
			return nil, fmt.Errorf("apischema: %s: %w", file, err)
		}
		c.docs[version] = d
	}
	return c, nil
}

// parsed holds the documents built so far in this test binary, by their
// text. Building one takes about half a second under the race detector,
// and every test of a package builds the same few; a document is only
// read once built (its validator's caches are behind its mutex), so the
// Checkers share them.
var parsed sync.Map // string -> *parsing

type parsing struct {
	once sync.Once
	doc  *document
	err  error
}

// sharedDocument returns the document of spec, built once.
func sharedDocument(spec []byte) (*document, error) {
	v, _ := parsed.LoadOrStore(string(spec), new(parsing))
	p := v.(*parsing)
	p.once.Do(func() { p.doc, p.err = newDocument(spec) })
	return p.doc, p.err
}

func newDocument(spec []byte) (*document, error) {
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc,
		// Strict: a property or query parameter the document does not
		// declare is reported, so that a misspelt optional field shows.
		config.WithStrictMode(),
		config.WithStrictIgnoredHeadersExtra(signingHeaders...),
		// The document names an X-Auth-Token scheme it never defines;
		// signing is SIGNING.md's, not the document's, to judge.
		config.WithoutSecurityValidation(),
		config.WithFormatAssertions(),
	)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if valid, errs := v.ValidateDocument(); !valid {
		return nil, fmt.Errorf("not a valid OpenAPI document: %s", strings.Join(describe(errs), "; "))
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, err
	}
	return &document{validator: v, router: router.NewRouter(&model.Model, router.WithPathOnlyMatching())}, nil
}

// Check validates req, sent with reqBody, and resp, answered with body,
// and keeps the exchange. resp may be nil when no answer came.
func (c *Checker) Check(req *http.Request, reqBody []byte, resp *http.Response, body []byte) Exchange {
	e := Exchange{
		Version:     req.Header.Get("Scp-Api-Version"),
		Method:      req.Method,
		URL:         req.URL.String(),
		RequestBody: reqBody,
		Body:        body,
	}
	d, ok := c.docs[e.Version]
	if !ok {
		e.NoDocument = true
	} else {
		d.check(&e, req, reqBody, resp, body)
	}
	if resp != nil {
		e.Status = resp.StatusCode
	}
	c.mu.Lock()
	c.exchanges = append(c.exchanges, e)
	c.mu.Unlock()
	return e
}

// check fills in what the document says of the exchange.
func (d *document) check(e *Exchange, req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if route, err := d.router.FindRoute(withBody(req, nil)); err == nil {
		e.PathPattern = route.Path
		if route.Operation != nil {
			e.Operation = route.Operation.OperationId
		}
	}
	if _, errs := d.validator.ValidateHttpRequestSync(withBody(req, reqBody)); len(errs) > 0 {
		e.RequestErrors = describe(errs)
	}
	if resp == nil {
		return
	}
	answer := *resp
	answer.Body = io.NopCloser(bytes.NewReader(body))
	if _, errs := d.validator.ValidateHttpResponse(withBody(req, reqBody), &answer); len(errs) > 0 {
		e.ResponseErrors = describe(errs)
	}
}

// withBody returns a copy of req that reads body.
func withBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(req.Context())
	r.Body = http.NoBody
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.ContentLength = int64(len(body))
	return r
}

// describe renders the validator's findings, one line each, with the
// fields they name.
func describe(errs []*verrors.ValidationError) []string {
	out := make([]string, 0, len(errs))
	for _, err := range errs {
		line := err.Message
		if err.Reason != "" && err.Reason != err.Message {
			line += ": " + err.Reason
		}
		for _, f := range err.SchemaValidationErrors {
			line += " [" + f.Reason
			if f.FieldPath != "" {
				line += " at " + f.FieldPath
			}
			line += "]"
		}
		out = append(out, line)
	}
	return out
}

// Exchanges returns every exchange checked so far, in order.
func (c *Checker) Exchanges() []Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.exchanges)
}

// Reset forgets the exchanges checked so far.
func (c *Checker) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exchanges = nil
}
