package scpvpn

// This file holds Client.Do, for the calls the services do not wrap: the
// Request it sends, what it refuses before sending, and how its answer is
// decoded. It sends through the same request path as the services
// (request.go).

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/scpsdk/scpvpn/internal/redact"
)

// Request is an API call for Client.Do, for endpoints and versions the
// services do not wrap. It prints (Format) and logs (LogValue) without the
// secrets of its body and query: the values of keys and query parameters
// named like secrets (pre_shared_key, say), and every Secret its Body
// holds. A query parameter named like a secret is kept out of Do's errors
// and debug log too.
type Request struct {
	// Method is GET, POST, PUT or DELETE.
	Method string
	// Path is the escaped path below the endpoint, starting with "/", such
	// as "/v1/vpn-gateways/" + url.PathEscape(id).
	Path string
	// Query holds the query parameters; nil for none.
	Query url.Values
	// APIVersion is sent as Scp-Api-Version, such as "vpn 1.1"; required.
	APIVersion string
	// Body is encoded as JSON and sent on every attempt; nil for none.
	// It must encode to a JSON object (or null), as every endpoint's body
	// does: a struct, a map, or a json.RawMessage holding an object. Do
	// refuses a string or []byte (even of JSON), a number, a bool or a
	// list before sending, and Format and LogValue show such a Body as its
	// type only.
	Body any
}

// LogValue logs the request with the secrets of its body and query
// replaced: the values of keys named like secrets (the pre-shared key of a
// tunnel request, say), in the body as Do would encode it and in the query,
// those values wherever else they appear, and every Secret the body holds.
// Without it, a slog JSON handler would encode Body as JSON, where a Secret
// is real. Format prints the same under fmt's verbs, and the SDK's errors
// and debug log hold none of these secrets either.
func (r Request) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("Method", r.Method), slog.String("Path", r.Path)}
	if len(r.Query) > 0 {
		attrs = append(attrs, slog.String("Query", strings.ReplaceAll(redactedQuery(r.Query).Encode(), url.QueryEscape(redact.Placeholder), redact.Placeholder)))
	}
	attrs = append(attrs, slog.String("APIVersion", r.APIVersion))
	if r.Body != nil {
		attrs = append(attrs, slog.String("Body", bodyForLog(r.Body)))
	}
	return slog.GroupValue(attrs...)
}

// Format prints the request as LogValue logs it, under every verb: its
// Body as the JSON Do would send, and every secret of its body and query
// replaced. Printed as it is, Body would show them: fmt reaches into a
// json.RawMessage or a map, where nothing says what is secret.
func (r Request) Format(f fmt.State, verb rune) {
	formatCopy(f, verb, "scpvpn.Request", r.redacted())
}

// GoString returns the Go syntax of the request as Format prints it, its
// secrets replaced.
func (r Request) GoString() string { return fmt.Sprintf("%#v", r) }

// redacted is the request as fmt shows it (see secret.go): Body is the
// text LogValue logs.
func (r Request) redacted() any {
	type request Request // without the methods
	c := request{Method: r.Method, Path: r.Path, Query: redactedQuery(r.Query), APIVersion: r.APIVersion}
	if r.Body != nil {
		c.Body = bodyForLog(r.Body)
	}
	return c
}

// redactedQuery returns q with the values of keys named like secrets
// replaced; q itself when it has none.
func redactedQuery(q url.Values) url.Values {
	var out url.Values
	for k := range q {
		if redact.Sensitive(k) {
			if out == nil {
				out = maps.Clone(q)
			}
			out[k] = []string{redact.Placeholder}
		}
	}
	if out == nil {
		return q
	}
	return out
}

// bodyForLog returns body encoded as a call sends it, with the values of
// keys named like secrets replaced, and those values, and those of the
// Secrets body holds, wherever else they appear.
func bodyForLog(body any) string {
	if notAnObject(body) {
		// Do refuses it; its text may be JSON whose secrets no redaction
		// would find inside a string.
		return fmt.Sprintf("[a %T, not a JSON object]", body)
	}
	b, err := json.Marshal(wireBody(body))
	if err != nil {
		return "[a body that cannot be encoded as JSON]"
	}
	return redact.NewScrubber(redact.SecretsIn(b)...).With(secretsHeldBy(body)...).String(redact.JSON(b))
}

// secretsHeldBy returns the values of the Secrets v holds, at any depth,
// in fields, pointers, slices, arrays, maps and interfaces: a Secret under
// a key that is not named like one is still a secret.
func secretsHeldBy(v any) []string {
	type visit struct {
		ptr uintptr
		typ reflect.Type
	}
	var out []string
	seen := map[visit]bool{} // what cycles through pointers, maps and slices is walked once
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if !v.IsValid() || depth > maxSecretDepth || !mayHoldSecret(v.Type()) {
			return
		}
		switch v.Kind() {
		case reflect.String:
			if v.Len() > 0 {
				out = append(out, v.String())
			}
			return
		case reflect.Pointer, reflect.Map, reflect.Slice:
			if v.IsNil() {
				return
			}
			at := visit{v.Pointer(), v.Type()}
			if seen[at] {
				return
			}
			seen[at] = true
		}
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			walk(v.Elem(), depth+1)
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Key(), depth+1)
				walk(it.Value(), depth+1)
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), depth+1)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), depth+1)
			}
		}
	}
	if v != nil {
		walk(reflect.ValueOf(v), 0)
	}
	return out
}

// mayHoldSecret reports whether a value of t may be or hold a Secret: it
// spares walking the bytes of a json.RawMessage, say.
func mayHoldSecret(t reflect.Type) bool {
	for {
		switch t.Kind() {
		case reflect.String:
			return t == reflect.TypeFor[Secret]()
		case reflect.Pointer, reflect.Slice, reflect.Array:
			t = t.Elem()
		case reflect.Map, reflect.Interface, reflect.Struct:
			return true
		default:
			return false
		}
	}
}

// maxSecretDepth bounds secretsHeldBy's walk, as deep as any request body
// goes, and deeper.
const maxSecretDepth = 32

// maxDoAnswer bounds an answer that Client.Do decodes.
const maxDoAnswer = 4 << 20

// Do sends req like the services send their calls: signed, retried under
// the same rules (a POST is never sent again once the service may have
// acted on it), with errors as *APIError, and decodes a successful answer's
// JSON into out (nil discards it; an answer without a body leaves it as it
// is), once the whole answer has been read. Body is encoded with
// encoding/json (a json.RawMessage goes as it is); a GET has none. An
// answer longer than 4 MiB is refused; what decoding it costs in memory
// depends on out's type (a typed struct a few times its size, an any many
// times more). A Request that cannot be sent (a Body that does not encode
// to a JSON object or null, say), or an out that is
// neither nil nor a non-nil pointer, is refused with a *ValidationError
// before anything is sent.
//
// Do reports what the service answered as it is: unlike the services, it
// does not settle a call whose first answer was lost.
func (c *Client) Do(ctx context.Context, req *Request, out any, opts ...CallOption) error {
	co, optErr := begin(opts)
	if err := req.check(); err != nil {
		return err
	}
	if optErr != nil {
		return optErr
	}
	// Found only after the call, an out that cannot be filled would make
	// a create that succeeded look failed.
	if v := reflect.ValueOf(out); out != nil && (v.Kind() != reflect.Pointer || v.IsNil()) {
		return &ValidationError{Request: "Do", Fields: []FieldError{{Field: "out", Problem: "must be nil or a non-nil pointer, such as &result"}}}
	}
	cl := &call{
		method: req.Method,
		path:   req.Path,
		query:  req.Query.Encode(),
		header: http.Header{HeaderAPIVersion: {req.APIVersion}},
		body:   req.Body,
	}
	if req.Method == http.MethodGet {
		cl.body = nil // one that encodes to null: no body (check refuses any other)
	}
	if out != nil {
		cl.maxBody = maxDoAnswer
		cl.decode = func(r io.Reader) error {
			if err := decodeValue(r, out); !errors.Is(err, errEmptyBody) {
				return err
			}
			return nil // an answer without a body (204) leaves out as it is
		}
	}
	_, err := c.send(ctx, cl, co)
	return err
}

// check refuses a Request that cannot be sent as it is.
func (r *Request) check() error {
	if r == nil {
		return &ValidationError{Request: "Request", Fields: []FieldError{{Field: "request", Problem: "must not be nil"}}}
	}
	var fields []FieldError
	switch r.Method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete:
	default:
		fields = append(fields, FieldError{Field: "Method", Problem: "must be GET, POST, PUT or DELETE"})
	}
	if r.Method == http.MethodGet && r.Body != nil && !encodesToNull(r.Body) {
		// It would go without it: a GET is sent with no body.
		fields = append(fields, FieldError{Field: "Body", Problem: "must be nil for a GET, which carries no body (put what it says in Query)"})
	}
	if r.Method != http.MethodGet && notAnObject(r.Body) {
		// Every endpoint's body is an object. A string or []byte of JSON
		// would go as a JSON string, its secrets hidden from every
		// redaction (which reads objects).
		fields = append(fields, FieldError{Field: "Body", Problem: "must encode to a JSON object, as every endpoint's body is: pass a struct, a map or a json.RawMessage holding the object (not a string or []byte of JSON, a number, a bool or a list)"})
	}
	if problem := pathProblem(r.Path); problem != "" {
		fields = append(fields, FieldError{Field: "Path", Problem: problem})
	}
	switch {
	case r.APIVersion == "":
		fields = append(fields, FieldError{Field: "APIVersion", Problem: `is required, such as "vpn 1.1"`})
	case !headerSafe(r.APIVersion):
		fields = append(fields, FieldError{Field: "APIVersion", Problem: "cannot be sent in a header as it is (control characters or surrounding white space)"})
	}
	if len(fields) > 0 {
		return &ValidationError{Request: "Request", Fields: fields}
	}
	return nil
}

// encodesToNull reports whether encoding/json encodes v as null, as it does
// a nil pointer, map or slice (unless a MarshalJSON of its own says
// otherwise): a Body that is none.
func encodesToNull(v any) bool {
	if _, ok := v.(json.Marshaler); !ok && !isNil(v) {
		return false // a value of its own, encoded as such (not encoded here: it may be large)
	}
	b, err := json.Marshal(v)
	return err == nil && string(b) == "null"
}

// notAnObject reports whether encoding/json encodes v as a value that is
// not an object: a string (a []byte too), a number, a bool or an array.
// It looks at v's type, and encodes v only when a MarshalJSON or
// MarshalText of its own decides (a json.RawMessage, say): a large []byte
// costs nothing. A v that encodes to null or an object, or that cannot be
// encoded at all (sending says why), is not refused here.
func notAnObject(v any) bool {
	if v == nil {
		return false
	}
	v = wireBody(v)
	rv := reflect.ValueOf(v)
	for {
		if !rv.IsValid() {
			return false
		}
		t := rv.Type()
		if implementsMarshaler(t) || implementsMarshaler(reflect.PointerTo(t)) {
			b, err := json.Marshal(rv.Interface())
			if err != nil {
				return false
			}
			b = bytes.TrimLeft(b, " \t\r\n")
			return len(b) > 0 && b[0] != '{' && b[0] != 'n'
		}
		switch rv.Kind() {
		case reflect.Pointer, reflect.Interface:
			if rv.IsNil() {
				return false
			}
			rv = rv.Elem()
		case reflect.Slice:
			return !rv.IsNil()
		case reflect.String, reflect.Bool, reflect.Array,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64:
			return true
		default: // a struct or map is an object; a func or chan cannot be encoded
			return false
		}
	}
}

// implementsMarshaler reports whether t encodes itself to JSON.
func implementsMarshaler(t reflect.Type) bool {
	return t.Implements(reflect.TypeFor[json.Marshaler]()) || t.Implements(reflect.TypeFor[encoding.TextMarshaler]())
}

// isNil reports whether v is nil, or a nil pointer, map, slice or
// interface held in an any.
func isNil(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Invalid:
		return true
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// pathProblem says why p is not an escaped absolute path, or "".
func pathProblem(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return `must start with a single "/", such as "/v1/vpn-gateways"`
	}
	if strings.ContainsAny(p, "?#") {
		return "must not hold a query or fragment (use Query)"
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f {
			return "must be escaped (url.PathEscape each segment)"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.EscapedPath() != p {
		return "must be escaped (url.PathEscape each segment)"
	}
	// Servers resolve an escaped dot segment (%2e%2e) like a plain one.
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return "must not hold dot segments"
		}
	}
	return ""
}
