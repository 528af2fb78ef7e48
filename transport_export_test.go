package scpvpn

// This file lends the external tests what they cannot reach otherwise.

import "net/http"

// NewDefaultTransport returns the transport a client gets when it is given
// none, so that a test can add the roots of its TLS server to it and check
// what the default transport does over HTTP/2.
func NewDefaultTransport() *http.Transport { return newTransport() }
