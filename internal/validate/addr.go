package validate

// This file holds how IP addresses and networks are read: as leniently as
// the checks let them through, so that a value written with leading zeros
// (123.000.000.002, 10.1.1.0/024) is the address or network the service
// reads in it, and compares equal to the service's usual form of it.

import (
	"net/netip"
	"strconv"
	"strings"
)

// ParseAddr reads an IPv4 address in dotted decimal, each of its four
// numbers written with 1 to 3 digits (leading zeros allowed and read as
// decimal: 010.001.002.003 is 10.1.2.3), or an IPv6 address without a
// zone. ok is false for anything else.
func ParseAddr(s string) (addr netip.Addr, ok bool) {
	if strings.Contains(s, ":") {
		a, err := netip.ParseAddr(s)
		return a, err == nil && a.Is6() && a.Zone() == ""
	}
	var b [4]byte
	for i := range b {
		part, rest, found := strings.Cut(s, ".")
		if found == (i == len(b)-1) { // three dots, no more
			return netip.Addr{}, false
		}
		n, err := strconv.ParseUint(part, 10, 8) // at most 255
		if err != nil || len(part) > 3 {         // digits only: base 10 takes no sign
			return netip.Addr{}, false
		}
		b[i], s = byte(n), rest
	}
	return netip.AddrFrom4(b), true
}

// ParsePrefix reads a network in CIDR notation, address/bits, the address
// as ParseAddr reads it and the bits 1 to 3 decimal digits (/016 is /16).
// Host bits may be set; the network returned is masked: 10.1.2.3/16 is
// 10.1.0.0/16.
func ParsePrefix(s string) (prefix netip.Prefix, ok bool) {
	addr, bits, found := strings.Cut(s, "/")
	if !found {
		return netip.Prefix{}, false
	}
	a, ok := ParseAddr(addr)
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
