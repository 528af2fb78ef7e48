package acceptance

// This file holds what a run is given: the variables it reads, the names
// it gives, and the addresses and networks its tunnels use.

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
)

// The variables of the suite, besides those of scpvpn.NewClientFromEnv.
const (
	envAcceptance = "SCPVPN_ACCEPTANCE"
	envSweep      = "SCPVPN_SWEEP"
	envVPCID      = "SCPVPN_ACCEPTANCE_VPC_ID"
	envIPID       = "SCPVPN_ACCEPTANCE_IP_ID"
	envIPAddress  = "SCPVPN_ACCEPTANCE_IP_ADDRESS"
	envPrefix     = "SCPVPN_ACCEPTANCE_PREFIX"
	envPeerIPs    = "SCPVPN_ACCEPTANCE_PEER_IPS"
	envRemoteNet  = "SCPVPN_ACCEPTANCE_REMOTE_NET"
)

// Defaults: a prefix no one else uses, peers in TEST-NET-3 (RFC 5737),
// remote subnets in a private /16 that VPCs seldom use.
const (
	defaultPrefix    = "scpvpnacc"
	defaultPeerIPs   = "203.0.113.10,203.0.113.11"
	defaultRemoteNet = "10.251.0.0/16"
)

// Names are ASCII letters and digits, at most 20 of them; a run adds an
// id of runIDLen and a suffix of at most 3 ("gw", "t10", "t11").
const (
	maxName   = 20
	runIDLen  = 6
	maxSuffix = 3
	maxPrefix = maxName - runIDLen - maxSuffix
)

// config is what a run is given.
type config struct {
	vpcID, ipID, ipAddress string
	prefix                 string
	peerIPs                [2]string
	// subnets are four /24 networks: two for the 1.1 tunnel, one for the
	// 1.0 tunnel, one that the 1.1 tunnel's Set adds.
	subnets [4]string
}

// configFromEnv reads the suite's variables through getenv (os.Getenv in a
// run). Every problem is reported, in one error.
func configFromEnv(getenv func(string) string) (config, error) {
	var problems []string
	cfg := config{
		vpcID:     getenv(envVPCID),
		ipID:      getenv(envIPID),
		ipAddress: getenv(envIPAddress),
		prefix:    or(getenv(envPrefix), defaultPrefix),
	}
	for _, v := range [][2]string{{envVPCID, cfg.vpcID}, {envIPID, cfg.ipID}, {envIPAddress, cfg.ipAddress}} {
		if v[1] == "" {
			problems = append(problems, v[0]+" is not set")
		}
	}
	if err := checkPrefix(cfg.prefix); err != nil {
		problems = append(problems, envPrefix+": "+err.Error())
	}
	peers := strings.Split(or(getenv(envPeerIPs), defaultPeerIPs), ",")
	if len(peers) != 2 {
		problems = append(problems, envPeerIPs+": want two addresses separated by a comma")
	} else {
		for i, p := range peers {
			if _, err := netip.ParseAddr(strings.TrimSpace(p)); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %q is not an IP address", envPeerIPs, p))
			}
			cfg.peerIPs[i] = strings.TrimSpace(p)
		}
	}
	net, err := netip.ParsePrefix(or(getenv(envRemoteNet), defaultRemoteNet))
	if err != nil || !net.Addr().Is4() || net.Bits() != 16 || net.Masked() != net {
		problems = append(problems, envRemoteNet+": want an IPv4 network of 16 bits, such as "+defaultRemoteNet)
	} else {
		b := net.Addr().As4()
		for i := range cfg.subnets {
			cfg.subnets[i] = netip.PrefixFrom(netip.AddrFrom4([4]byte{b[0], b[1], byte(i + 1), 0}), 24).String()
		}
	}
	if problems != nil {
		return config{}, errors.New("acceptance: " + strings.Join(problems, "; "))
	}
	return cfg, nil
}

// checkPrefix refuses a prefix that cannot start a name, or that leaves
// no room for a run's id and suffix.
func checkPrefix(p string) error {
	if p == "" || len(p) > maxPrefix {
		return fmt.Errorf("%q must be 1 to %d characters long", p, maxPrefix)
	}
	if strings.TrimFunc(p, isNameRune) != "" {
		return fmt.Errorf("%q must hold only ASCII letters and digits", p)
	}
	return nil
}

func isNameRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// newRunID returns runIDLen random lower-case letters and digits.
func newRunID() string {
	b := make([]byte, runIDLen)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = runIDAlphabet[int(b[i])%len(runIDAlphabet)]
	}
	return string(b)
}

// names are the names a run gives its resources.
type names struct {
	gateway, tunnel10, tunnel11 string
}

// The suffixes of a run's names.
const (
	suffixGateway  = "gw"
	suffixTunnel10 = "t10"
	suffixTunnel11 = "t11"
)

func (cfg config) names(runID string) names {
	base := cfg.prefix + runID
	return names{gateway: base + suffixGateway, tunnel10: base + suffixTunnel10, tunnel11: base + suffixTunnel11}
}

// runName reports whether name is one that a run with prefix gives, and
// if so the run's id and the name's suffix: the prefix, runIDLen
// lower-case letters and digits, then "gw", "t10" or "t11", and nothing
// else. A name that merely starts with the prefix is not one.
func runName(prefix, name string) (runID, suffix string, ok bool) {
	rest, found := strings.CutPrefix(name, prefix)
	if !found || len(rest) <= runIDLen {
		return "", "", false
	}
	runID, suffix = rest[:runIDLen], rest[runIDLen:]
	if strings.TrimFunc(runID, isRunIDRune) != "" {
		return "", "", false
	}
	switch suffix {
	case suffixGateway, suffixTunnel10, suffixTunnel11:
		return runID, suffix, true
	}
	return "", "", false
}

// runIDAlphabet is what a run id is made of.
const runIDAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func isRunIDRune(r rune) bool { return strings.ContainsRune(runIDAlphabet, r) }

// newPreSharedKey returns a pre-shared key of 24 letters and digits.
func newPreSharedKey() string {
	return "Acc" + newRunID() + newRunID() + newRunID() + "x"
}

// enabled reports whether the variable name is set to 1.
func enabled(name string) bool { return os.Getenv(name) == "1" }
