package scpvpn

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Header names of SCP's request signing.
const (
	HeaderAccessKey  = "Scp-Accesskey"
	HeaderSignature  = "Scp-Signature"
	HeaderTimestamp  = "Scp-Timestamp"
	HeaderClientType = "Scp-Clienttype"
	HeaderAccountID  = "Scp-Accountid"
	HeaderAPIVersion = "Scp-Api-Version"
)

// DefaultClientType is the Scp-ClientType that SCP's own SDK sends.
const DefaultClientType = "Openapi"

// Signer signs requests for SCP's OpenAPI with HMAC-SHA256, as SCP's own SDK
// does. It can be used on its own, with any *http.Request or through
// NewSigningTransport with a plain *http.Client.
//
// A Signer is safe for concurrent use as long as its fields are not changed.
// It never shows its secret key under fmt's verbs.
type Signer struct {
	// AccessKey identifies the key pair; sent as Scp-Accesskey.
	AccessKey string
	// SecretKey signs; it never leaves the process.
	SecretKey string
	// AccountID is sent as Scp-AccountId and signed when not empty. SCP's
	// tools leave it empty.
	AccountID string
	// ClientType is sent as Scp-ClientType and signed; empty means
	// DefaultClientType.
	ClientType string
	// Now is the clock for Scp-Timestamp; nil means time.Now.
	Now func() time.Time
}

// errNoKeys is returned by Sign when the key pair is incomplete.
var errNoKeys = errors.New("scpvpn: signer has no access key or secret key")

// Sign sets Scp-Accesskey, Scp-Timestamp, Scp-ClientType, Scp-Signature, and
// Scp-AccountId when an account id is set, on req. The signature covers the
// method, the URL exactly as it goes on the wire (scheme, host, escaped path
// and raw query), the timestamp, the access key, the account id and the
// client type. Sign must run again for every attempt: a signature is bound
// to its timestamp.
func (s *Signer) Sign(req *http.Request) error {
	if s == nil || s.AccessKey == "" || s.SecretKey == "" {
		return errNoKeys
	}
	if req == nil || req.URL == nil {
		return errors.New("scpvpn: cannot sign a request without a URL")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	clientType := s.ClientType
	if clientType == "" {
		clientType = DefaultClientType
	}
	timestamp := strconv.FormatInt(now().UnixMilli(), 10)

	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	// The message is assembled in one buffer: METHOD URL TIMESTAMP ACCESSKEY
	// ACCOUNTID CLIENTTYPE, plainly concatenated.
	var buf [512]byte
	msg := append(buf[:0], req.Method...)
	msg = append(msg, req.URL.Scheme...)
	msg = append(msg, "://"...)
	msg = append(msg, host...)
	msg = append(msg, req.URL.RequestURI()...)
	msg = append(msg, timestamp...)
	msg = append(msg, s.AccessKey...)
	msg = append(msg, s.AccountID...)
	msg = append(msg, clientType...)

	mac := hmac.New(sha256.New, []byte(s.SecretKey))
	mac.Write(msg)
	var sum [sha256.Size]byte
	signature := base64.StdEncoding.EncodeToString(mac.Sum(sum[:0]))

	if req.Header == nil {
		req.Header = make(http.Header, 6)
	}
	req.Header[HeaderAccessKey] = []string{s.AccessKey}
	req.Header[HeaderTimestamp] = []string{timestamp}
	req.Header[HeaderClientType] = []string{clientType}
	req.Header[HeaderSignature] = []string{signature}
	if s.AccountID != "" {
		req.Header[HeaderAccountID] = []string{s.AccountID}
	} else {
		delete(req.Header, HeaderAccountID)
	}
	return nil
}

// Format shows the signer without its secret key, under every verb.
func (s Signer) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "scpvpn.Signer{AccessKey: "+strconv.Quote(s.AccessKey)+
		", SecretKey: "+redactedIfSet(s.SecretKey)+
		", AccountID: "+strconv.Quote(s.AccountID)+
		", ClientType: "+strconv.Quote(s.ClientType)+"}")
}

// NewSigningTransport returns an http.RoundTripper that signs every request
// with s and sends it through base (http.DefaultTransport when nil). Each
// attempt that passes through it, retries included, gets a fresh timestamp and
// signature. The caller's request is not modified: the transport signs a copy.
func NewSigningTransport(s *Signer, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &signingTransport{signer: s, base: base}
}

type signingTransport struct {
	signer *Signer
	base   http.RoundTripper
}

// RoundTrip signs a shallow copy of req with its own headers, as a
// RoundTripper must not modify the request it is given.
func (t *signingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	signed := *req
	signed.Header = make(http.Header, len(req.Header)+5)
	for k, v := range req.Header {
		signed.Header[k] = v
	}
	if err := t.signer.Sign(&signed); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(&signed)
}

// redactedIfSet tells whether a secret is set without showing it.
func redactedIfSet(secret string) string {
	if secret == "" {
		return `""`
	}
	return redactedText
}
