package scpvpn_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

// Validation before sending: every rule, in both versions, for create and
// set. A refused request names every bad field and sends nothing.

// validationCall is one call with a request built for the case.
type validationCall struct {
	name string
	call func(context.Context, *scpvpn.Client) error
}

// badCase is a request that breaks rules: the fields that must be named,
// or none for a request that must pass.
type badCase struct {
	name   string
	fields []string
	calls  []validationCall
}

// tunnelParts points into the parts of a tunnel create request that both
// versions share, so that one mutation serves both.
type tunnelParts struct {
	name, gatewayID *string
	tags            *[]scpvpn.Tag
	phase1          *scpvpn.TunnelPhase1CreateRequest
	pfs             *scpvpn.PerfectForwardSecrecy
	groups          *[]int
	encryptions     *[]string
	lifeTime        *int
}

func partsV1Dot0(r *scpvpn.TunnelCreateRequest) tunnelParts {
	return tunnelParts{&r.Name, &r.VPNGatewayID, &r.Tags, &r.Phase1, &r.Phase2.PerfectForwardSecrecy, &r.Phase2.DiffieHellmanGroups, &r.Phase2.Encryptions, &r.Phase2.LifeTime}
}

func partsV1Dot1(r *scpvpn.TunnelCreateRequestV1Dot1) tunnelParts {
	return tunnelParts{&r.Name, &r.VPNGatewayID, &r.Tags, &r.Phase1, &r.Phase2.PerfectForwardSecrecy, &r.Phase2.DiffieHellmanGroups, &r.Phase2.Encryptions, &r.Phase2.LifeTime}
}

// bothTunnelCreates applies mutate to the reference's create request of
// each version.
func bothTunnelCreates(mutate func(tunnelParts)) []validationCall {
	return []validationCall{
		{"v1.0", func(ctx context.Context, c *scpvpn.Client) error {
			r := tunnelCreateRequest()
			mutate(partsV1Dot0(r))
			_, err := c.V1Dot0.Tunnels.Create(ctx, r)
			return err
		}},
		{"v1.1", func(ctx context.Context, c *scpvpn.Client) error {
			r := tunnelCreateRequestV1Dot1()
			mutate(partsV1Dot1(r))
			_, err := c.V1Dot1.Tunnels.Create(ctx, r)
			return err
		}},
	}
}

func bothGatewayCreates(mutate func(*scpvpn.GatewayCreateRequest)) []validationCall {
	return []validationCall{
		{"v1.0", func(ctx context.Context, c *scpvpn.Client) error {
			r := gatewayCreateRequest()
			mutate(r)
			_, err := c.V1Dot0.Gateways.Create(ctx, r)
			return err
		}},
		{"v1.1", func(ctx context.Context, c *scpvpn.Client) error {
			r := gatewayCreateRequest()
			mutate(r)
			_, err := c.V1Dot1.Gateways.Create(ctx, r)
			return err
		}},
	}
}

// bothTunnelSets sends a set request of each version with phase1, and phase
// 2 built by the version's function (either may be nil).
func bothTunnelSets(phase1 func() *scpvpn.TunnelPhase1SetRequest, phase2v10 func() *scpvpn.TunnelPhase2SetRequest, phase2v11 func() *scpvpn.TunnelPhase2SetRequestV1Dot1) []validationCall {
	var calls []validationCall
	if phase2v10 != nil || phase2v11 == nil {
		calls = append(calls, validationCall{"v1.0", func(ctx context.Context, c *scpvpn.Client) error {
			r := &scpvpn.TunnelSetRequest{Description: ptr("changed")}
			if phase1 != nil {
				r.Phase1 = phase1()
			}
			if phase2v10 != nil {
				r.Phase2 = phase2v10()
			}
			_, err := c.V1Dot0.Tunnels.Set(ctx, tunnelID, r)
			return err
		}})
	}
	if phase2v11 != nil || phase2v10 == nil {
		calls = append(calls, validationCall{"v1.1", func(ctx context.Context, c *scpvpn.Client) error {
			r := &scpvpn.TunnelSetRequestV1Dot1{Description: ptr("changed")}
			if phase1 != nil {
				r.Phase1 = phase1()
			}
			if phase2v11 != nil {
				r.Phase2 = phase2v11()
			}
			_, err := c.V1Dot1.Tunnels.Set(ctx, tunnelID, r)
			return err
		}})
	}
	return calls
}

// phase2Both gives the same phase 2 change in both versions.
func phase2Both(mutate func(pfs *scpvpn.PerfectForwardSecrecy, groups *[]int, encryptions *[]string, lifeTime *int)) (func() *scpvpn.TunnelPhase2SetRequest, func() *scpvpn.TunnelPhase2SetRequestV1Dot1) {
	return func() *scpvpn.TunnelPhase2SetRequest {
			p := &scpvpn.TunnelPhase2SetRequest{}
			mutate(&p.PerfectForwardSecrecy, &p.DiffieHellmanGroups, &p.Encryptions, &p.LifeTime)
			return p
		}, func() *scpvpn.TunnelPhase2SetRequestV1Dot1 {
			p := &scpvpn.TunnelPhase2SetRequestV1Dot1{}
			mutate(&p.PerfectForwardSecrecy, &p.DiffieHellmanGroups, &p.Encryptions, &p.LifeTime)
			return p
		}
}

func seq(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

func subnets(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "10." + strconv.Itoa(i) + ".0.0/16"
	}
	return out
}

const secretPSK = "VerySecretPSK#1"

func validationCases() []badCase {
	gw := func(name string, fields []string, mutate func(*scpvpn.GatewayCreateRequest)) badCase {
		return badCase{"gateway create/" + name, fields, bothGatewayCreates(mutate)}
	}
	tc := func(name string, fields []string, mutate func(tunnelParts)) badCase {
		return badCase{"tunnel create/" + name, fields, bothTunnelCreates(mutate)}
	}
	ts1 := func(name string, fields []string, p1 func() *scpvpn.TunnelPhase1SetRequest) badCase {
		return badCase{"tunnel set/" + name, fields, bothTunnelSets(p1, nil, nil)}
	}
	ts2 := func(name string, fields []string, mutate func(pfs *scpvpn.PerfectForwardSecrecy, groups *[]int, encryptions *[]string, lifeTime *int)) badCase {
		a, b := phase2Both(mutate)
		return badCase{"tunnel set/" + name, fields, bothTunnelSets(nil, a, b)}
	}
	v10Create := func(name string, fields []string, mutate func(*scpvpn.TunnelCreateRequest)) badCase {
		return badCase{"tunnel create/" + name, fields, []validationCall{{"v1.0", func(ctx context.Context, c *scpvpn.Client) error {
			r := tunnelCreateRequest()
			mutate(r)
			_, err := c.V1Dot0.Tunnels.Create(ctx, r)
			return err
		}}}}
	}
	v11Create := func(name string, fields []string, mutate func(*scpvpn.TunnelCreateRequestV1Dot1)) badCase {
		return badCase{"tunnel create/" + name, fields, []validationCall{{"v1.1", func(ctx context.Context, c *scpvpn.Client) error {
			r := tunnelCreateRequestV1Dot1()
			mutate(r)
			_, err := c.V1Dot1.Tunnels.Create(ctx, r)
			return err
		}}}}
	}
	const (
		name        = "name"
		gatewayIDF  = "vpn_gateway_id"
		dpd         = "phase1.dpd_retry_interval"
		ike         = "phase1.ike_version"
		peer        = "phase1.peer_gateway_ip"
		p1Groups    = "phase1.phase1_diffie_hellman_groups"
		p1Enc       = "phase1.phase1_encryptions"
		p1Life      = "phase1.phase1_life_time"
		psk         = "phase1.pre_shared_key"
		pfs         = "phase2.perfect_forward_secrecy"
		p2Groups    = "phase2.phase2_diffie_hellman_groups"
		p2Enc       = "phase2.phase2_encryptions"
		p2Life      = "phase2.phase2_life_time"
		subnet      = "phase2.remote_subnet"
		subnetsList = "phase2.remote_subnets"
	)
	var ok []string // a request that passes
	return []badCase{
		// Gateways.
		gw("reference example", ok, func(*scpvpn.GatewayCreateRequest) {}),
		gw("empty", []string{"ip_address", "ip_id", "ip_type", name, "vpc_id"}, func(r *scpvpn.GatewayCreateRequest) { *r = scpvpn.GatewayCreateRequest{} }),
		gw("no ip_address", []string{"ip_address"}, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "" }),
		gw("ip_address not an IP", []string{"ip_address"}, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "123.0.0" }),
		gw("ip_address a CIDR", []string{"ip_address"}, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "123.0.0.1/32" }),
		gw("ip_address a host name", []string{"ip_address"}, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "vpn.example.com" }),
		gw("ip_address IPv6", ok, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "2001:db8::1" }),
		gw("ip_address with a zone", []string{"ip_address"}, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "fe80::1%eth0" }),
		gw("no ip_id", []string{"ip_id"}, func(r *scpvpn.GatewayCreateRequest) { r.IPID = "" }),
		gw("no ip_type", []string{"ip_type"}, func(r *scpvpn.GatewayCreateRequest) { r.IPType = "" }),
		gw("no vpc_id", []string{"vpc_id"}, func(r *scpvpn.GatewayCreateRequest) { r.VPCID = "" }),
		gw("no name", []string{name}, func(r *scpvpn.GatewayCreateRequest) { r.Name = "" }),
		gw("name of 1", ok, func(r *scpvpn.GatewayCreateRequest) { r.Name = "a" }),
		gw("name of 2", ok, func(r *scpvpn.GatewayCreateRequest) { r.Name = "ab" }),
		gw("name of 3", ok, func(r *scpvpn.GatewayCreateRequest) { r.Name = "ab1" }),
		gw("name of 20", ok, func(r *scpvpn.GatewayCreateRequest) { r.Name = strings.Repeat("a1", 10) }),
		gw("name of 21", []string{name}, func(r *scpvpn.GatewayCreateRequest) { r.Name = strings.Repeat("a", 21) }),
		gw("name with a dash", []string{name}, func(r *scpvpn.GatewayCreateRequest) { r.Name = "my-gateway" }),
		gw("name with a space", []string{name}, func(r *scpvpn.GatewayCreateRequest) { r.Name = "my gateway" }),
		gw("name not ASCII", []string{name}, func(r *scpvpn.GatewayCreateRequest) { r.Name = "게이트웨이1" }),
		gw("tag without key", ok, func(r *scpvpn.GatewayCreateRequest) {
			r.Tags = []scpvpn.Tag{{Key: "env", Value: "prod"}, {Key: "", Value: "x"}}
		}),
		gw("tag without value", ok, func(r *scpvpn.GatewayCreateRequest) { r.Tags = []scpvpn.Tag{{Key: "env"}} }),
		gw("ip address with leading zeros", ok, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "123.000.000.001" }),
		gw("ip address of 4 digits", []string{"ip_address"}, func(r *scpvpn.GatewayCreateRequest) { r.IPAddress = "123.0000.0.1" }),
		gw("everything wrong", []string{"ip_address", "ip_id", "ip_type", name, "vpc_id"}, func(r *scpvpn.GatewayCreateRequest) {
			*r = scpvpn.GatewayCreateRequest{IPAddress: "nope", Name: "x!", Tags: []scpvpn.Tag{{Value: "v"}}}
		}),

		// Tunnels, both versions.
		tc("reference example", ok, func(tunnelParts) {}),
		tc("no name", []string{name}, func(p tunnelParts) { *p.name = "" }),
		tc("name of 2", ok, func(p tunnelParts) { *p.name = "t1" }),
		tc("name of 1", ok, func(p tunnelParts) { *p.name = "T" }),
		tc("name of 21", []string{name}, func(p tunnelParts) { *p.name = strings.Repeat("t", 21) }),
		tc("name with underscore", []string{name}, func(p tunnelParts) { *p.name = "my_tunnel" }),
		tc("name of 3", ok, func(p tunnelParts) { *p.name = "T01" }),
		tc("no gateway id", []string{gatewayIDF}, func(p tunnelParts) { *p.gatewayID = "" }),
		tc("tag without key", ok, func(p tunnelParts) { *p.tags = []scpvpn.Tag{{Value: "x"}} }),
		tc("nil tags", ok, func(p tunnelParts) { *p.tags = nil }),
		tc("dpd 0", []string{dpd}, func(p tunnelParts) { p.phase1.DPDRetryInterval = 0 }),
		tc("dpd -1", []string{dpd}, func(p tunnelParts) { p.phase1.DPDRetryInterval = -1 }),
		tc("dpd 3601", []string{dpd}, func(p tunnelParts) { p.phase1.DPDRetryInterval = 3601 }),
		tc("dpd 1", ok, func(p tunnelParts) { p.phase1.DPDRetryInterval = 1 }),
		tc("dpd 3600", ok, func(p tunnelParts) { p.phase1.DPDRetryInterval = 3600 }),
		tc("ike 0", []string{ike}, func(p tunnelParts) { p.phase1.IKEVersion = 0 }),
		tc("ike 3", []string{ike}, func(p tunnelParts) { p.phase1.IKEVersion = 3 }),
		tc("ike 1", ok, func(p tunnelParts) { p.phase1.IKEVersion = 1 }),
		tc("no peer", []string{peer}, func(p tunnelParts) { p.phase1.PeerGatewayIP = "" }),
		tc("peer not an IP", []string{peer}, func(p tunnelParts) { p.phase1.PeerGatewayIP = "300.0.0.2" }),
		tc("peer a CIDR", []string{peer}, func(p tunnelParts) { p.phase1.PeerGatewayIP = "123.0.0.0/24" }),
		tc("peer IPv6", ok, func(p tunnelParts) { p.phase1.PeerGatewayIP = "2001:db8::2" }),
		tc("peer with a zone", []string{peer}, func(p tunnelParts) { p.phase1.PeerGatewayIP = "fe80::1%eth0" }),
		tc("phase1 no groups", []string{p1Groups}, func(p tunnelParts) { p.phase1.DiffieHellmanGroups = nil }),
		tc("phase1 four groups", []string{p1Groups}, func(p tunnelParts) { p.phase1.DiffieHellmanGroups = []int{14, 19, 20, 21} }),
		tc("phase1 group 3", []string{p1Groups}, func(p tunnelParts) { p.phase1.DiffieHellmanGroups = []int{3} }),
		tc("phase1 group 33", []string{p1Groups}, func(p tunnelParts) { p.phase1.DiffieHellmanGroups = []int{14, 33} }),
		tc("phase1 group twice", ok, func(p tunnelParts) { p.phase1.DiffieHellmanGroups = []int{14, 14} }),
		tc("phase1 group 1", ok, func(p tunnelParts) { p.phase1.DiffieHellmanGroups = []int{1} }),
		tc("phase1 no encryptions", []string{p1Enc}, func(p tunnelParts) { p.phase1.Encryptions = []string{} }),
		tc("phase1 eleven encryptions", []string{p1Enc}, func(p tunnelParts) { p.phase1.Encryptions = seq("aes", 11) }),
		tc("phase1 empty encryption", []string{p1Enc}, func(p tunnelParts) { p.phase1.Encryptions = []string{"aes256-sha256", ""} }),
		tc("phase1 ten encryptions", ok, func(p tunnelParts) { p.phase1.Encryptions = seq("aes", 10) }),
		tc("phase1 life 119", []string{p1Life}, func(p tunnelParts) { p.phase1.LifeTime = 119 }),
		tc("phase1 life 172801", []string{p1Life}, func(p tunnelParts) { p.phase1.LifeTime = 172801 }),
		tc("phase1 life 120", ok, func(p tunnelParts) { p.phase1.LifeTime = 120 }),
		tc("phase1 life 172800", ok, func(p tunnelParts) { p.phase1.LifeTime = 172800 }),
		tc("no psk", []string{psk}, func(p tunnelParts) { p.phase1.PreSharedKey = "" }),
		tc("psk of 7", []string{psk}, func(p tunnelParts) { p.phase1.PreSharedKey = "Secret7" }),
		tc("psk of 65", []string{psk}, func(p tunnelParts) { p.phase1.PreSharedKey = scpvpn.Secret(strings.Repeat("s", 65)) }),
		tc("psk of 8", ok, func(p tunnelParts) { p.phase1.PreSharedKey = "Secret88" }),
		tc("psk of 64", ok, func(p tunnelParts) { p.phase1.PreSharedKey = scpvpn.Secret(strings.Repeat("s", 64)) }),
		tc("no pfs", []string{pfs}, func(p tunnelParts) { *p.pfs = "" }),
		tc("pfs lower case", []string{pfs}, func(p tunnelParts) { *p.pfs = "enable" }),
		tc("pfs YES", []string{pfs}, func(p tunnelParts) { *p.pfs = "YES" }),
		tc("pfs DISABLE", ok, func(p tunnelParts) { *p.pfs = scpvpn.PFSDisable }),
		tc("phase2 no groups", []string{p2Groups}, func(p tunnelParts) { *p.groups = nil }),
		tc("phase2 group 0", []string{p2Groups}, func(p tunnelParts) { *p.groups = []int{0} }),
		tc("phase2 four groups", []string{p2Groups}, func(p tunnelParts) { *p.groups = []int{1, 2, 5, 14} }),
		tc("phase2 no encryptions", []string{p2Enc}, func(p tunnelParts) { *p.encryptions = nil }),
		tc("phase2 eleven encryptions", []string{p2Enc}, func(p tunnelParts) { *p.encryptions = seq("aes", 11) }),
		tc("phase2 life 0", []string{p2Life}, func(p tunnelParts) { *p.lifeTime = 0 }),
		tc("phase2 life 172801", []string{p2Life}, func(p tunnelParts) { *p.lifeTime = 172801 }),
		tc("phase2 life 120", ok, func(p tunnelParts) { *p.lifeTime = 120 }),
		tc("secret psk named, not shown", []string{psk, dpd}, func(p tunnelParts) {
			p.phase1.PreSharedKey = scpvpn.Secret(secretPSK + strings.Repeat("!", 60))
			p.phase1.DPDRetryInterval = 0
		}),

		// Remote subnets, per version.
		v10Create("no remote subnet", []string{subnet}, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "" }),
		v10Create("remote subnet an IP", []string{subnet}, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "10.1.0.0" }),
		v10Create("remote subnet /33", []string{subnet}, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "10.1.0.0/33" }),
		v10Create("remote subnet IPv6", ok, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "2001:db8::/32" }),
		v11Create("no remote subnets", []string{subnetsList}, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase2.RemoteSubnets = nil }),
		v11Create("empty remote subnets", []string{subnetsList}, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase2.RemoteSubnets = []string{} }),
		v11Create("21 remote subnets", []string{subnetsList}, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase2.RemoteSubnets = subnets(21) }),
		v11Create("20 remote subnets", ok, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase2.RemoteSubnets = subnets(20) }),
		v11Create("1 remote subnet", ok, func(r *scpvpn.TunnelCreateRequestV1Dot1) { r.Phase2.RemoteSubnets = subnets(1) }),
		v10Create("remote subnet with host bits", ok, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "10.1.2.3/16" }),
		v10Create("remote subnet with leading zeros", ok, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "010.001.000.000/16" }),
		v10Create("remote subnet of /33", []string{subnet}, func(r *scpvpn.TunnelCreateRequest) { r.Phase2.RemoteSubnet = "10.1.0.0/33" }),
		v11Create("remote subnets twice", ok, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
			r.Phase2.RemoteSubnets = []string{"10.1.0.0/16", "10.2.0.0/16", "10.1.0.0/16"}
		}),
		tc("proposal twice", ok, func(p tunnelParts) { p.phase1.Encryptions = []string{"aes128gcm", "aes128gcm"} }),
		v11Create("bad remote subnets", []string{subnetsList + "[1]", subnetsList + "[3]"}, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
			r.Phase2.RemoteSubnets = []string{"10.0.0.0/8", "10.0.0.0", "10.1.0.0/16", "ten"}
		}),
		v10Create("everything wrong", []string{name, gatewayIDF, dpd, ike, peer, p1Groups, p1Enc, p1Life, psk, pfs, p2Groups, p2Enc, p2Life, subnet}, func(r *scpvpn.TunnelCreateRequest) {
			*r = scpvpn.TunnelCreateRequest{Tags: []scpvpn.Tag{{}}}
		}),
		v11Create("everything wrong", []string{name, gatewayIDF, dpd, ike, peer, p1Groups, p1Enc, p1Life, psk, pfs, p2Groups, p2Enc, p2Life, subnetsList}, func(r *scpvpn.TunnelCreateRequestV1Dot1) {
			*r = scpvpn.TunnelCreateRequestV1Dot1{Name: "-", Tags: []scpvpn.Tag{{Value: "x"}}, Phase1: scpvpn.TunnelPhase1CreateRequest{PreSharedKey: "short", PeerGatewayIP: "x"}}
		}),

		// Set requests: only what is set is checked.
		{"tunnel set/description only", ok, bothTunnelSets(nil, nil, nil)},
		ts1("phase1 reference example", ok, phase1SetRequest),
		ts1("phase1 one field", ok, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{IKEVersion: 1} }),
		ts1("phase1 empty", ok, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{} }),
		ts1("ike 3", []string{ike}, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{IKEVersion: 3} }),
		ts1("dpd 3601", []string{dpd}, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: 3601} }),
		ts1("dpd -5", []string{dpd}, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: -5} }),
		ts1("peer not an IP", []string{peer}, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{PeerGatewayIP: "peer"} }),
		// An empty list is left out of a Set's body (omitempty): nothing to refuse.
		ts1("empty groups", ok, func() *scpvpn.TunnelPhase1SetRequest {
			return &scpvpn.TunnelPhase1SetRequest{DiffieHellmanGroups: []int{}}
		}),
		ts1("group 4", []string{p1Groups}, func() *scpvpn.TunnelPhase1SetRequest {
			return &scpvpn.TunnelPhase1SetRequest{DiffieHellmanGroups: []int{4}}
		}),
		ts1("empty encryption", []string{p1Enc}, func() *scpvpn.TunnelPhase1SetRequest {
			return &scpvpn.TunnelPhase1SetRequest{Encryptions: []string{""}}
		}),
		ts1("life 100", []string{p1Life}, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{LifeTime: 100} }),
		ts1("psk of 7", []string{psk}, func() *scpvpn.TunnelPhase1SetRequest { return &scpvpn.TunnelPhase1SetRequest{PreSharedKey: "Secret7"} }),
		ts1("psk of 65", []string{psk}, func() *scpvpn.TunnelPhase1SetRequest {
			return &scpvpn.TunnelPhase1SetRequest{PreSharedKey: scpvpn.Secret(secretPSK + strings.Repeat("x", 60))}
		}),
		ts2("phase2 empty", ok, func(*scpvpn.PerfectForwardSecrecy, *[]int, *[]string, *int) {}),
		ts2("pfs on", []string{pfs}, func(p *scpvpn.PerfectForwardSecrecy, _ *[]int, _ *[]string, _ *int) { *p = "on" }),
		ts2("pfs DISABLE", ok, func(p *scpvpn.PerfectForwardSecrecy, _ *[]int, _ *[]string, _ *int) { *p = scpvpn.PFSDisable }),
		ts2("group 99", []string{p2Groups}, func(_ *scpvpn.PerfectForwardSecrecy, g *[]int, _ *[]string, _ *int) { *g = []int{99} }),
		ts2("eleven encryptions", []string{p2Enc}, func(_ *scpvpn.PerfectForwardSecrecy, _ *[]int, e *[]string, _ *int) { *e = seq("aes", 11) }),
		ts2("life 172801", []string{p2Life}, func(_ *scpvpn.PerfectForwardSecrecy, _ *[]int, _ *[]string, l *int) { *l = 172801 }),
		ts2("life -1", []string{p2Life}, func(_ *scpvpn.PerfectForwardSecrecy, _ *[]int, _ *[]string, l *int) { *l = -1 }),
		{"tunnel set/remote subnet /016", ok, bothTunnelSets(nil, func() *scpvpn.TunnelPhase2SetRequest {
			return &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.0.0.0/016"}
		}, nil)},
		{"tunnel set/remote subnet /0016", []string{subnet}, bothTunnelSets(nil, func() *scpvpn.TunnelPhase2SetRequest {
			return &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.0.0.0/0016"}
		}, nil)},
		{"tunnel set/remote subnet /40", []string{subnet}, bothTunnelSets(nil, func() *scpvpn.TunnelPhase2SetRequest {
			return &scpvpn.TunnelPhase2SetRequest{RemoteSubnet: "10.0.0.0/40"}
		}, nil)},
		{"tunnel set/empty remote subnets", ok, bothTunnelSets(nil, nil, func() *scpvpn.TunnelPhase2SetRequestV1Dot1 {
			return &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: []string{}}
		})},
		{"tunnel set/bad remote subnet", []string{subnetsList + "[0]"}, bothTunnelSets(nil, nil, func() *scpvpn.TunnelPhase2SetRequestV1Dot1 {
			return &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: []string{"x"}}
		})},
		{"tunnel set/21 remote subnets", []string{subnetsList}, bothTunnelSets(nil, nil, func() *scpvpn.TunnelPhase2SetRequestV1Dot1 {
			return &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: subnets(21)}
		})},
		{"tunnel set/everything wrong", []string{dpd, ike, peer, p1Groups, p1Enc, p1Life, psk, pfs, p2Groups, p2Enc, p2Life, subnet}, bothTunnelSets(
			func() *scpvpn.TunnelPhase1SetRequest {
				return &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: 9999, IKEVersion: 9, PeerGatewayIP: "x", DiffieHellmanGroups: []int{0}, Encryptions: seq("aes", 11), LifeTime: 1, PreSharedKey: "x"}
			},
			func() *scpvpn.TunnelPhase2SetRequest {
				return &scpvpn.TunnelPhase2SetRequest{PerfectForwardSecrecy: "x", DiffieHellmanGroups: []int{7}, Encryptions: []string{""}, LifeTime: 1, RemoteSubnet: "x"}
			}, nil)},
	}
}

// TestValidation runs every case against a client whose transport records
// whatever reaches it.
func TestValidation(t *testing.T) {
	t.Parallel()
	for _, bc := range validationCases() {
		require.NotEmpty(t, bc.calls, bc.name)
		for _, call := range bc.calls {
			t.Run(bc.name+"/"+call.name, func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock)
				var rec recorder
				catchAllAnswering(mock, &rec, http.StatusAccepted)
				err := call.call(context.Background(), c)
				if bc.fields == nil {
					require.NoError(t, err)
					assert.Equal(t, 1, mock.GetTotalCallCount(), "a valid request is sent")
					return
				}
				var vErr *scpvpn.ValidationError
				require.ErrorAs(t, err, &vErr)
				got := make([]string, len(vErr.Fields))
				for i, f := range vErr.Fields {
					got[i] = f.Field
					assert.NotEmpty(t, f.Problem, f.Field)
				}
				assert.ElementsMatch(t, bc.fields, dedupe(got), "every bad field is named")
				for _, f := range bc.fields {
					assert.Contains(t, err.Error(), f, "the message names %s", f)
				}
				assert.NotContains(t, err.Error(), secretPSK, "a secret is named, never shown")
				assert.Zero(t, mock.GetTotalCallCount(), "nothing was sent")
				assert.Empty(t, rec.all())
				for _, sentinel := range []error{scpvpn.ErrBadRequest, scpvpn.ErrNotFound} {
					assert.False(t, errors.Is(err, sentinel))
				}
			})
		}
	}
}

func dedupe(fields []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// TestValidationNilAndIDs: a nil request and an id that would address
// another path are refused even without validation.
func TestValidationNilAndIDs(t *testing.T) {
	t.Parallel()
	badIDs := []string{"", ".", ".."} // a long id is the service's to judge: escaped, it reaches no other path
	type idCall func(context.Context, *scpvpn.Client, string) error
	idCalls := map[string]idCall{
		"v1.1 gateway get": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot1.Gateways.Get(ctx, id)
			return err
		},
		"v1.1 gateway set": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot1.Gateways.Set(ctx, id, &scpvpn.GatewaySetRequest{})
			return err
		},
		"v1.1 gateway delete": func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot1.Gateways.Delete(ctx, id) },
		"v1.1 tunnel get": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot1.Tunnels.Get(ctx, id)
			return err
		},
		"v1.1 tunnel set": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot1.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequestV1Dot1{})
			return err
		},
		"v1.1 tunnel delete": func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot1.Tunnels.Delete(ctx, id) },
		"v1.0 gateway get": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot0.Gateways.Get(ctx, id)
			return err
		},
		"v1.0 tunnel get": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot0.Tunnels.Get(ctx, id)
			return err
		},
		"v1.0 tunnel set": func(ctx context.Context, c *scpvpn.Client, id string) error {
			_, err := c.V1Dot0.Tunnels.Set(ctx, id, &scpvpn.TunnelSetRequest{})
			return err
		},
		"v1.0 tunnel delete": func(ctx context.Context, c *scpvpn.Client, id string) error { return c.V1Dot0.Tunnels.Delete(ctx, id) },
	}
	for _, withValidation := range []bool{true, false} {
		var opts []scpvpn.Option
		suffix := ""
		if !withValidation {
			opts = append(opts, scpvpn.WithoutValidation())
			suffix = " without validation"
		}
		for name, call := range idCalls {
			for _, id := range badIDs {
				t.Run(name+suffix+"/"+strconv.Quote(id[:min(len(id), 5)]), func(t *testing.T) {
					t.Parallel()
					mock := httpmock.NewMockTransport()
					c := newClient(t, mock, opts...)
					var rec recorder
					catchAllAnswering(mock, &rec, http.StatusOK)
					err := call(context.Background(), c, id)
					var vErr *scpvpn.ValidationError
					require.ErrorAs(t, err, &vErr)
					assert.Zero(t, mock.GetTotalCallCount())
				})
			}
		}

		nilCalls := map[string]func(context.Context, *scpvpn.Client) error{
			"v1.1 gateway create": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Gateways.Create(ctx, nil)
				return err
			},
			"v1.1 gateway set": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Gateways.Set(ctx, gatewayID, nil)
				return err
			},
			"v1.1 tunnel create": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Tunnels.Create(ctx, nil)
				return err
			},
			"v1.1 tunnel set": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot1.Tunnels.Set(ctx, tunnelID, nil)
				return err
			},
			"v1.0 gateway create": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot0.Gateways.Create(ctx, nil)
				return err
			},
			"v1.0 tunnel create": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot0.Tunnels.Create(ctx, nil)
				return err
			},
			"v1.0 tunnel set": func(ctx context.Context, c *scpvpn.Client) error {
				_, err := c.V1Dot0.Tunnels.Set(ctx, tunnelID, nil)
				return err
			},
		}
		for name, call := range nilCalls {
			t.Run(name+suffix+"/nil", func(t *testing.T) {
				t.Parallel()
				mock := httpmock.NewMockTransport()
				c := newClient(t, mock, opts...)
				var rec recorder
				catchAllAnswering(mock, &rec, http.StatusOK)
				var err error
				require.NotPanics(t, func() { err = call(context.Background(), c) })
				var vErr *scpvpn.ValidationError
				require.ErrorAs(t, err, &vErr)
				assert.Contains(t, err.Error(), "request")
				assert.Zero(t, mock.GetTotalCallCount())
			})
		}
	}
}

// TestValidationReferenceExamples: the API reference's own example requests
// pass the SDK's rules, in both versions.
func TestValidationReferenceExamples(t *testing.T) {
	t.Parallel()
	type validator interface{ Validate() error }
	for _, version := range []string{"v1.0", "v1.1"} {
		examples := map[string]validator{
			"gateway_create_request": &scpvpn.GatewayCreateRequest{},
			"gateway_set_request":    &scpvpn.GatewaySetRequest{},
		}
		if version == "v1.0" {
			examples["tunnel_create_request"] = &scpvpn.TunnelCreateRequest{}
			examples["tunnel_set_request"] = &scpvpn.TunnelSetRequest{}
		} else {
			examples["tunnel_create_request"] = &scpvpn.TunnelCreateRequestV1Dot1{}
			examples["tunnel_set_request"] = &scpvpn.TunnelSetRequestV1Dot1{}
		}
		for name, v := range examples {
			t.Run(version+"/"+name, func(t *testing.T) {
				t.Parallel()
				require.NoError(t, json.Unmarshal([]byte(fixture(t, version, name)), v))
				assert.NoError(t, v.Validate())
			})
		}
	}
}

// TestWithoutValidation: with validation off, a request the SDK's rules
// refuse is sent as it is, for the service to judge.
func TestWithoutValidation(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name string
		call func(context.Context, *scpvpn.Client) error
		want []string // in the body sent
	}{
		{"gateway create", func(ctx context.Context, c *scpvpn.Client) error {
			r := gatewayCreateRequest()
			r.Name, r.IPAddress = "x", "not-an-ip"
			_, err := c.V1Dot1.Gateways.Create(ctx, r)
			return err
		}, []string{`"name":"x"`, `"ip_address":"not-an-ip"`}},
		{"tunnel create v1.1", func(ctx context.Context, c *scpvpn.Client) error {
			r := tunnelCreateRequestV1Dot1()
			r.Phase1.IKEVersion, r.Phase1.PreSharedKey, r.Phase2.RemoteSubnets = 3, "short", nil
			_, err := c.V1Dot1.Tunnels.Create(ctx, r)
			return err
		}, []string{`"ike_version":3`, `"pre_shared_key":"short"`}},
		{"tunnel create v1.0", func(ctx context.Context, c *scpvpn.Client) error {
			r := tunnelCreateRequest()
			r.Phase2.DiffieHellmanGroups = []int{3, 4, 6, 7}
			_, err := c.V1Dot0.Tunnels.Create(ctx, r)
			return err
		}, []string{`"phase2_diffie_hellman_groups":[3,4,6,7]`}},
		{"tunnel set v1.0", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot0.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequest{Phase1: &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: 99999}})
			return err
		}, []string{`"dpd_retry_interval":99999`}},
		{"tunnel set v1.1", func(ctx context.Context, c *scpvpn.Client) error {
			_, err := c.V1Dot1.Tunnels.Set(ctx, tunnelID, &scpvpn.TunnelSetRequestV1Dot1{Phase2: &scpvpn.TunnelPhase2SetRequestV1Dot1{PerfectForwardSecrecy: "MAYBE"}})
			return err
		}, []string{`"perfect_forward_secrecy":"MAYBE"`}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock, scpvpn.WithoutValidation())
			var rec recorder
			catchAllAnswering(mock, &rec, http.StatusAccepted)
			require.NoError(t, tc.call(context.Background(), c))
			sent := rec.only(t)
			for _, w := range tc.want {
				assert.Contains(t, string(sent.Body), w)
			}
		})
	}
}

func TestNegativePagingIsRefused(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	c := newClient(t, mock)
	ctx := context.Background()

	_, err := c.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Page: -1, Size: -5})
	var vErr *scpvpn.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "scpvpn: invalid GatewayListOptions: page must be 0 or more; size must be 0 or more", err.Error())
	_, err = c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{Size: -1})
	require.ErrorAs(t, err, &vErr)

	n := 0
	for tn, err := range c.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{Page: -2}) {
		assert.Nil(t, tn)
		require.ErrorAs(t, err, &vErr)
		n++
	}
	assert.Equal(t, 1, n, "All yields the error once")
	assert.Zero(t, mock.GetTotalCallCount(), "nothing was sent")
}

// A GatewaySetRequest with nothing to change is refused before sending:
// it would only make the gateway EDITING for nothing.
func TestEmptyGatewaySetIsRefused(t *testing.T) {
	t.Parallel()
	mock := anyCallMock()
	c := newClient(t, mock)
	_, err := c.V1Dot1.Gateways.Set(context.Background(), gatewayID, &scpvpn.GatewaySetRequest{})
	var vErr *scpvpn.ValidationError
	require.ErrorAs(t, err, &vErr)
	assert.Equal(t, "description", vErr.Fields[0].Field)
	assert.Contains(t, err.Error(), "nothing to change")
	assert.Zero(t, mock.GetTotalCallCount())

	// A description set to "" clears it: that is a change.
	mock.RegisterResponder(http.MethodPut, gatewayPath, httpmock.NewStringResponder(http.StatusAccepted, fixture(t, "v1.1", "gateway_set_response")))
	_, err = c.V1Dot1.Gateways.Set(context.Background(), gatewayID, &scpvpn.GatewaySetRequest{Description: scpvpn.Ptr("")})
	require.NoError(t, err)
	assert.Equal(t, 1, mock.GetTotalCallCount())
}
