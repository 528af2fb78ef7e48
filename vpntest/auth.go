package vpntest

// This file holds the checks of who is calling: access key, timestamp,
// signature, and the API version asked for.

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scpsdk/scpvpn/internal/sigverify"
)

// apiVersion is the value of the Scp-Api-Version header.
type apiVersion string

// The versions the API serves.
const (
	v1Dot0 apiVersion = "vpn 1.0"
	v1Dot1 apiVersion = "vpn 1.1"
)

const headerAPIVersion = "Scp-Api-Version"

// authenticate checks, in order, the access key, the timestamp and the
// signature, answering 401 like the service for the first that fails.
func (s *Server) authenticate(r *http.Request, now time.Time) error {
	key, ok := sigverify.Header(r.Header, sigverify.HeaderAccessKey)
	switch {
	case !ok || key == "":
		return errorf(http.StatusUnauthorized, codeInvalidAccessKey, "missing %s header", sigverify.HeaderAccessKey)
	case key != s.opts.AccessKey:
		return errorf(http.StatusUnauthorized, codeInvalidAccessKey, "the access key %q is not valid", key)
	}

	ts, ok := sigverify.Header(r.Header, sigverify.HeaderTimestamp)
	if !ok || ts == "" {
		return errorf(http.StatusUnauthorized, codeInvalidTimestamp, "missing %s header", sigverify.HeaderTimestamp)
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || strings.TrimLeft(ts, "0123456789") != "" {
		return errorf(http.StatusUnauthorized, codeInvalidTimestamp,
			"%s must be milliseconds since the Unix epoch, got %q", sigverify.HeaderTimestamp, ts)
	}
	skew := now.Sub(time.UnixMilli(ms))
	switch {
	case skew > s.opts.MaxClockSkew:
		return errorf(http.StatusUnauthorized, codeTimestampExpired,
			"request timestamp %s is too old: %s behind the server's clock (at most %s allowed)",
			ts, skew.Round(time.Millisecond), s.opts.MaxClockSkew)
	case -skew > s.opts.MaxClockSkew:
		return errorf(http.StatusUnauthorized, codeTimestampExpired,
			"request timestamp %s is too far in the future: %s ahead of the server's clock (at most %s allowed)",
			ts, (-skew).Round(time.Millisecond), s.opts.MaxClockSkew)
	}

	if err := sigverify.Verify(r, s.opts.SecretKey); err != nil {
		detail := "the signature does not match the request"
		if errors.Is(err, sigverify.ErrMissingHeader) {
			detail = "missing " + sigverify.HeaderSignature + " header"
		} else {
			detail += ": signed must be METHOD+URL+TIMESTAMP+ACCESSKEY+ACCOUNTID+CLIENTTYPE with URL " +
				sigverify.RequestURL(r) + " exactly as sent"
		}
		return errorf(http.StatusUnauthorized, codeHmacValidFail, "%s", detail)
	}
	return nil
}

// parseVersion reads Scp-Api-Version, which must name a version the API
// serves.
func parseVersion(h http.Header) (apiVersion, error) {
	v, ok := sigverify.Header(h, headerAPIVersion)
	switch {
	case !ok:
		return "", errorf(http.StatusBadRequest, codeUnsupportedVersion,
			"missing %s header; supported versions: %q, %q", headerAPIVersion, v1Dot0, v1Dot1)
	case apiVersion(v) == v1Dot0, apiVersion(v) == v1Dot1:
		return apiVersion(v), nil
	default:
		return "", errorf(http.StatusBadRequest, codeUnsupportedVersion,
			"unsupported %s %q; supported versions: %q, %q", headerAPIVersion, v, v1Dot0, v1Dot1)
	}
}
