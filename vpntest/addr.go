package vpntest

// This file holds how the fake reads IP addresses and networks: no more
// strictly than the service is documented to, so leading zeros in an IPv4
// address and host bits in a network are accepted.

import (
	"net/netip"
	"strconv"
	"strings"
)

// parseAddr reads an IPv4 address in dotted decimal, each of its four
// numbers written with 1 to 3 digits (leading zeros allowed: 010.001.002.003
// is 10.1.2.3), or an IPv6 address without a zone. ok is false for
// anything else.
func parseAddr(s string) (netip.Addr, bool) {
	if strings.Contains(s, ":") {
		a, err := netip.ParseAddr(s)
		return a, err == nil && a.Is6() && a.Zone() == ""
	}
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return netip.Addr{}, false
	}
	for i, p := range parts {
		if _, ok := decimal(p, 3); !ok {
			return netip.Addr{}, false
		}
		// netip refuses leading zeros (they read as octal elsewhere); the
		// numbers here are decimal.
		if parts[i] = strings.TrimLeft(p, "0"); parts[i] == "" {
			parts[i] = "0"
		}
	}
	a, err := netip.ParseAddr(strings.Join(parts, "."))
	return a, err == nil
}

// parsePrefix reads a network in CIDR notation, address/bits, the address
// as parseAddr reads it. Host bits may be set: 10.1.2.3/16 is the network
// 10.1.0.0/16.
func parsePrefix(s string) (netip.Prefix, bool) {
	addr, bits, found := strings.Cut(s, "/")
	if !found {
		return netip.Prefix{}, false
	}
	a, ok := parseAddr(addr)
	if !ok {
		return netip.Prefix{}, false
	}
	n, ok := decimal(bits, 3)
	if !ok || n > a.BitLen() {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, n).Masked(), true
}

// decimal reads 1 to maxDigits ASCII digits.
func decimal(s string, maxDigits int) (int, bool) {
	if s == "" || len(s) > maxDigits || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
