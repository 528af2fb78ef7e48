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

func TestParseAddrTable(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when refused
	}{
		{"10.1.2.3", "10.1.2.3"},
		{"010.001.002.003", "10.1.2.3"},
		{"0.0.0.0", "0.0.0.0"},
		{"255.255.255.255", "255.255.255.255"},
		{"000.000.000.000", "0.0.0.0"},
		{"2001:db8::1", "2001:db8::1"},
		{"::ffff:10.1.2.3", "::ffff:10.1.2.3"},
		{"256.0.0.1", ""},
		{"0010.1.2.3", ""},
		{"10.1.2", ""},
		{"10.1.2.3.4", ""},
		{"10..2.3", ""},
		{"10.1.2.+3", ""},
		{"10.1.2.3 ", ""},
		{"10.1.2.0x3", ""},
		{"fe80::1%eth0", ""},
		{"", ""},
		{"peer.example.com", ""},
	}
	for _, tt := range tests {
		a, ok := ParseAddr(tt.in)
		if tt.want == "" {
			assert.False(t, ok, "%q", tt.in)
			continue
		}
		if assert.True(t, ok, "%q", tt.in) {
			assert.Equal(t, tt.want, a.String(), "%q", tt.in)
		}
	}
}

func TestParsePrefixTable(t *testing.T) {
	tests := []struct {
		in   string
		want string // the network, "" when refused
	}{
		{"10.1.0.0/16", "10.1.0.0/16"},
		{"10.1.2.3/16", "10.1.0.0/16"},
		{"010.001.000.000/16", "10.1.0.0/16"},
		{"10.1.2.3/32", "10.1.2.3/32"},
		{"10.1.2.3/0", "0.0.0.0/0"},
		{"10.1.2.3/016", "10.1.0.0/16"},
		{"2001:db8::1/64", "2001:db8::/64"},
		{"10.1.0.0/33", ""},
		{"2001:db8::/129", ""},
		{"10.1.0.0", ""},
		{"10.1.0.0/", ""},
		{"10.1.0.0/-1", ""},
		{"10.1.0.0/1/2", ""},
		{"10.1.0/16", ""},
		{"/16", ""},
	}
	for _, tt := range tests {
		p, ok := ParsePrefix(tt.in)
		if tt.want == "" {
			assert.False(t, ok, "%q", tt.in)
			continue
		}
		if assert.True(t, ok, "%q", tt.in) {
			assert.Equal(t, tt.want, p.String(), "%q", tt.in)
		}
	}
}

// Whatever the standard library reads as a network (without a zone),
// ParsePrefix reads too, as the same network: the SDK and the fake, which
// both read with it, are never the stricter.
func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{"10.1.0.0/16", "10.1.2.3/16", "2001:db8::1/64", "0.0.0.0/0", "::/0", "010.1.0.0/8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := netip.ParsePrefix(s)
		if err != nil || want.Addr().Zone() != "" {
			return
		}
		got, ok := ParsePrefix(s)
		if !ok {
			t.Fatalf("ParsePrefix(%q) refused what netip reads as %v", s, want)
		}
		if got != want.Masked() {
			t.Fatalf("ParsePrefix(%q) = %v, want %v", s, got, want.Masked())
		}
	})
}
