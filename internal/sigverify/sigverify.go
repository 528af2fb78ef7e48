// Package sigverify is an implementation of the Samsung Cloud Platform
// OpenAPI request signature that is independent of the SDK: the fake API
// server uses it to check what the SDK sends, so a mistake in the SDK's
// signer cannot hide behind the same mistake here.
//
// The signature is
//
//	base64.StdEncoding(HMAC-SHA256(secretKey, METHOD + URL + TIMESTAMP + ACCESS_KEY + ACCOUNT_ID + CLIENT_TYPE))
//
// where URL is the full URL exactly as sent on the wire.
package sigverify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Names of the headers that carry the signature and what it covers.
const (
	HeaderAccessKey  = "Scp-Accesskey"
	HeaderTimestamp  = "Scp-Timestamp"
	HeaderSignature  = "Scp-Signature"
	HeaderClientType = "Scp-ClientType"
	HeaderAccountID  = "Scp-AccountId"
)

// ErrMissingHeader is wrapped by the error Verify returns when a required
// header is absent.
var ErrMissingHeader = errors.New("missing header")

// ErrMismatch is wrapped by the error Verify returns when the signature
// does not match the request.
var ErrMismatch = errors.New("signature mismatch")

// Compute returns the signature of a request: the standard base64 encoding
// of the HMAC-SHA256, keyed with secretKey, of the plain concatenation of
// the other arguments. method must be upper case and url byte-identical to
// what is sent.
func Compute(method, url, timestamp, accessKey, accountID, clientType, secretKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	for _, part := range []string{method, url, timestamp, accessKey, accountID, clientType} {
		mac.Write([]byte(part))
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Verify checks the signature of r against secretKey. It accepts a request
// as received by a server and one built by a client (an http.Request whose
// RequestURI is empty, as seen by an http.RoundTripper); see RequestURL.
//
// Verify checks only the signature: comparing the access key with the
// expected one and the timestamp with the clock are the caller's business.
// Its errors name the part that failed and never contain the secret.
func Verify(r *http.Request, secretKey string) error {
	accessKey, ok := Header(r.Header, HeaderAccessKey)
	if !ok {
		return fmt.Errorf("sigverify: %w %s", ErrMissingHeader, HeaderAccessKey)
	}
	timestamp, ok := Header(r.Header, HeaderTimestamp)
	if !ok {
		return fmt.Errorf("sigverify: %w %s", ErrMissingHeader, HeaderTimestamp)
	}
	signature, ok := Header(r.Header, HeaderSignature)
	if !ok {
		return fmt.Errorf("sigverify: %w %s", ErrMissingHeader, HeaderSignature)
	}
	// Both may legitimately be empty; they still take part in the message.
	clientType, _ := Header(r.Header, HeaderClientType)
	accountID, _ := Header(r.Header, HeaderAccountID)

	url := RequestURL(r)
	want := Compute(r.Method, url, timestamp, accessKey, accountID, clientType, secretKey)
	if !hmac.Equal([]byte(signature), []byte(want)) {
		return fmt.Errorf("sigverify: %w for %s %s (the URL signed must be byte-identical to the one sent, query included)", ErrMismatch, r.Method, url)
	}
	return nil
}

// RequestURL returns the URL that the signature of r covers.
//
// For a request received by a server (r.RequestURI set) it is the scheme
// ("https" when r.TLS is set, else "http"), "://", r.Host and the request
// target exactly as received. For a request built by a client it is
// r.URL's scheme, r.Host (or r.URL.Host when r.Host is empty) and
// r.URL.RequestURI(), which keeps the path and query as escaped.
func RequestURL(r *http.Request) string {
	if r.RequestURI != "" {
		// A proxy-style absolute-form target already is the full URL.
		if strings.HasPrefix(r.RequestURI, "http://") || strings.HasPrefix(r.RequestURI, "https://") {
			return r.RequestURI
		}
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return scheme + "://" + r.Host + r.RequestURI
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return r.URL.Scheme + "://" + host + r.URL.RequestURI()
}

// Header returns the first value of the header name in h and whether it is
// present. The lookup is case-insensitive, including for keys stored without
// canonicalisation (h["Scp-AccessKey"] = ...), which a client sends as is.
func Header(h http.Header, name string) (string, bool) {
	if v, ok := h[http.CanonicalHeaderKey(name)]; ok && len(v) > 0 {
		return v[0], true
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0], true
		}
	}
	return "", false
}
