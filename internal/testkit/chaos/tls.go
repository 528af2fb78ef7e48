package chaos

// TLS: the proxy's own certificate, made up at Start, and the TLS of its
// two sides.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"time"
)

// tlsSide makes the side of the TLS listener: a self-signed certificate
// for the loopback addresses, offered with HTTP/2 and HTTP/1.1, and TLS to
// Config.TLSUpstream. It sets p.rootCAs.
func (p *Proxy) tlsSide() (*side, error) {
	cert, pool, err := selfSigned(time.Now())
	if err != nil {
		return nil, fmt.Errorf("chaos: failed to make a certificate: %w", err)
	}
	p.rootCAs = pool
	host, _, err := net.SplitHostPort(p.cfg.TLSUpstream)
	if err != nil {
		return nil, fmt.Errorf("chaos: TLS upstream %q: %w", p.cfg.TLSUpstream, err)
	}
	return &side{
		upstream:    p.cfg.TLSUpstream,
		upstreamTLS: &tls.Config{RootCAs: p.cfg.UpstreamRootCAs, ServerName: host, MinVersion: tls.VersionTLS12},
		serverTLS:   &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12},
	}, nil
}

// selfSigned makes a certificate for 127.0.0.1, ::1 and localhost, valid
// around now, and a pool that trusts it.
func selfSigned(now time.Time) (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(now.UnixNano()),
		Subject:               pkix.Name{CommonName: "chaos proxy"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
