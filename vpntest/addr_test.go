package vpntest

// This file holds the tests of how addresses and networks are read.

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseAddr(t *testing.T) {
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
		a, ok := parseAddr(tt.in)
		if tt.want == "" {
			assert.False(t, ok, "%q", tt.in)
			continue
		}
		if assert.True(t, ok, "%q", tt.in) {
			assert.Equal(t, tt.want, a.String(), "%q", tt.in)
		}
	}
}

func TestParsePrefix(t *testing.T) {
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
		p, ok := parsePrefix(tt.in)
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
// the fake reads too, as the same network: it is never the stricter.
func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{"10.1.0.0/16", "10.1.2.3/16", "2001:db8::1/64", "0.0.0.0/0", "::/0", "010.1.0.0/8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := netip.ParsePrefix(s)
		if err != nil || want.Addr().Zone() != "" {
			return
		}
		got, ok := parsePrefix(s)
		if !ok {
			t.Fatalf("parsePrefix(%q) refused what netip reads as %v", s, want)
		}
		if got != want.Masked() {
			t.Fatalf("parsePrefix(%q) = %v, want %v", s, got, want.Masked())
		}
	})
}
