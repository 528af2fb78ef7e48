package scpvpn

// This file holds how a client's endpoint is checked or built: an explicit
// URL, the IAM catalog's (catalog.go), or one derived from a region and an
// environment.

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// regionEndpoint builds https://vpn.{region}.{environment}.samsungsdscloud.com.
func regionEndpoint(region, environment string) (string, error) {
	if !dnsLabel(region) || !dnsLabel(environment) {
		return "", fmt.Errorf("%w: region %q and environment %q must both be DNS labels, such as kr-west1 and e", ErrInvalidEndpoint, region, environment)
	}
	return "https://vpn." + region + "." + environment + ".samsungsdscloud.com", nil
}

// checkEndpoint returns raw as a base URL (scheme://host[:port][/prefix],
// without a trailing slash), or an error wrapping ErrInvalidEndpoint that
// quotes it, user information hidden, and says what would work. what names it in
// messages: "endpoint", "IAM auth URL".
func checkEndpoint(what, raw string) (string, error) {
	shown := redactURL(raw)
	if strings.TrimSpace(raw) != raw || raw == "" {
		return "", fmt.Errorf("%w: %s %q must not be empty or have surrounding white space", ErrInvalidEndpoint, what, shown)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil && strings.Index(raw, "://") > 0:
		// The parser's message would quote what it could not read, which
		// may be part of a password.
		return "", fmt.Errorf("%w: %s %q is not a valid URL (a bad port, an unescaped character or a bad escape)", ErrInvalidEndpoint, what, shown)
	case err != nil || u.Scheme == "" || u.Opaque != "":
		// "127.0.0.1:18080" parses as a scheme and an opaque part, or not
		// at all: a URL without its scheme.
		return "", fmt.Errorf("%w: %s %q is not a URL with a scheme: did you mean %q?", ErrInvalidEndpoint, what, shown, guessScheme(shown))
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%w: %s %q must start with https:// (or http:// for tests and proxies)", ErrInvalidEndpoint, what, shown)
	case u.Hostname() == "":
		return "", fmt.Errorf("%w: %s %q has no host", ErrInvalidEndpoint, what, shown)
	case !validPort(u.Port()):
		return "", fmt.Errorf("%w: %s %q has port %s, which is not 1 to 65535", ErrInvalidEndpoint, what, shown, u.Port())
	case u.User != nil:
		return "", fmt.Errorf("%w: %s %q must not hold credentials (give the key pair with WithCredentials)", ErrInvalidEndpoint, what, shown)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("%w: %s %q must not hold a query or fragment", ErrInvalidEndpoint, what, shown)
	}
	base := strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/")
	if what == "endpoint" && strings.HasSuffix(base, "/v1") {
		return "", fmt.Errorf("%w: %s %q ends in /v1, which the SDK adds itself: did you mean %q?", ErrInvalidEndpoint, what, shown, strings.TrimSuffix(base, "/v1"))
	}
	return base, nil
}

// guessScheme returns raw with the scheme it most likely lacks, or the
// slashes after it: http for a loopback or private address (a fake, a
// proxy), https otherwise.
func guessScheme(raw string) string {
	if scheme, rest, ok := strings.Cut(raw, ":"); ok && (scheme == "https" || scheme == "http") {
		return scheme + "://" + rest // "https:host", the slashes forgotten
	}
	host := raw
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && (ip.IsLoopback() || ip.IsPrivate()) {
		return "http://" + raw
	}
	return "https://" + raw
}

// redactURL returns raw with any user information replaced, the user name
// as well as the password (a token may be given as either), even when raw
// does not parse. A password may hold "/", "#" or "?", which end the user
// information for a parser: everything before the last "@" is taken as
// user information then, which may hide more than it but never shows it.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		if _, hasPassword := u.User.Password(); hasPassword {
			u.User = url.UserPassword("xxxxx", "xxxxx")
		} else {
			u.User = url.User("xxxxx")
		}
		return u.String()
	}
	rest := raw
	prefix := ""
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user := "xxxxx"
	if strings.Contains(rest[:at], ":") {
		user = "xxxxx:xxxxx"
	}
	return prefix + user + rest[at:]
}

// validPort reports whether p, a URL's port, is empty or 1 to 65535.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

func dnsLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
