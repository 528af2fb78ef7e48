package validate

// Tests of how addresses and networks are read: leading zeros as decimal,
// as the checks let them through, and nothing the checks refuse.

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseAddrReadsLeadingZerosAsDecimal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"123.0.0.2":       "123.0.0.2",
		"123.000.000.002": "123.0.0.2",
		"010.001.002.003": "10.1.2.3",
		"255.255.255.255": "255.255.255.255",
		"2001:db8::1":     "2001:db8::1",
	} {
		a, ok := ParseAddr(in)
		if assert.True(t, ok, in) {
			assert.Equal(t, netip.MustParseAddr(want), a, in)
		}
		assert.True(t, ipAddress(in), in)
	}
	for _, in := range []string{"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "0001.2.3.4", "1..2.3", "1.2.3.-4", "1.2.3.+4", " 1.2.3.4", "fe80::1%eth0", "::ffff:1.2.3.4%x", "a.b.c.d"} {
		_, ok := ParseAddr(in)
		assert.False(t, ok, in)
		assert.False(t, ipAddress(in), in)
	}
}

func TestParsePrefixReadsLeadingZerosAndMasks(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"10.1.0.0/16":     "10.1.0.0/16",
		"10.1.0.0/016":    "10.1.0.0/16",
		"010.001.1.7/024": "10.1.1.0/24",
		"10.1.2.3/16":     "10.1.0.0/16",
		"0.0.0.0/0":       "0.0.0.0/0",
		"2001:db8::1/064": "2001:db8::/64",
		"2001:db8::/128":  "2001:db8::/128",
	} {
		p, ok := ParsePrefix(in)
		if assert.True(t, ok, in) {
			assert.Equal(t, want, p.String(), in)
		}
	}
	for _, in := range []string{"10.1.0.0", "10.1.0.0/", "10.1.0.0/33", "10.1.0.0/0016", "10.1.0.0/+8", "10.1.0.0/-1", "2001:db8::/129", "10.1.0/16", "/16"} {
		_, ok := ParsePrefix(in)
		assert.False(t, ok, in)
		var p Problems
		p.CIDR("f", in)
		assert.Len(t, p.List, 1, in)
	}
}
