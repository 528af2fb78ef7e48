package redact

// This file holds the redaction of a URL's query: the values of its
// parameters named like secrets (pre_shared_key=...), replaced by name
// wherever the URL is shown, and found by value for a Scrubber.

import (
	"net/url"
	"strings"
)

// URL returns raw, a URL or a path with a query, with the value of every
// query parameter whose name is Sensitive replaced by Placeholder. The
// rest is kept as it is, in its order and escaping; raw itself when it
// holds no such parameter.
func URL(raw string) string {
	base, query, ok := strings.Cut(raw, "?")
	if !ok || !sensitiveQuery(query) {
		return raw
	}
	fragment := ""
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query, fragment = query[:i], query[i:]
	}
	parts := strings.Split(query, "&")
	for i, p := range parts {
		if k, _, _ := strings.Cut(p, "="); sensitiveParam(k) {
			parts[i] = k + "=" + Placeholder
		}
	}
	return base + "?" + strings.Join(parts, "&") + fragment
}

// SecretsInURL returns the values, unescaped, of the query parameters of
// raw whose names are Sensitive, for a Scrubber (which finds them
// URL-encoded too): the pre-shared key a caller put in a query, say.
func SecretsInURL(raw string) []string {
	_, query, ok := strings.Cut(raw, "?")
	if !ok || !sensitiveQuery(query) {
		return nil
	}
	query, _, _ = strings.Cut(query, "#")
	var out []string
	for _, p := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(p, "=")
		if !sensitiveParam(k) || v == "" {
			continue
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// sensitiveParam reports whether a query parameter's name, escaped as in
// a query, names a secret.
func sensitiveParam(escaped string) bool {
	if k, err := url.QueryUnescape(escaped); err == nil {
		escaped = k
	}
	return Sensitive(escaped)
}

// sensitiveQuery is a cheap test that spares splitting the queries that
// cannot name a secret, which are most of them (a name may be escaped:
// %70sk is psk).
func sensitiveQuery(query string) bool {
	return query != "" && (strings.IndexByte(query, '%') >= 0 || containsSensitiveName([]byte(query)))
}
