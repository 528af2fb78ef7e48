package vpntest

// This file holds the tests of body validation: the documented rules
// refused, the undocumented ones accepted.

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBodyFormat(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name, contentType, body, detail string
	}{
		{"malformed", "application/json", `{"name": "gw1",`, "malformed JSON"},
		{"trailing data", "application/json", `{"name": "gw1"} {}`, "after the top-level value"},
		{"array", "application/json", `[]`, "must be a JSON object, got an array"},
		{"string", "application/json", `"gw1"`, "must be a JSON object, got a string"},
		{"null", "application/json", `null`, "must be a JSON object, got null"},
		{"empty", "application/json", ``, "body is required"},
		{"text", "text/plain", `{}`, "Content-Type must be application/json"},
		{"no content type", "", `{}`, "Content-Type must be application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/v1/vpn-gateways", "/v1/vpn-tunnels"} {
				r := h.signed("POST", v11, path, tt.body)
				if tt.contentType == "" {
					r.Header.Del("Content-Type")
				} else {
					r.Header.Set("Content-Type", tt.contentType)
				}
				resp := h.send(r)
				require.Equal(t, http.StatusBadRequest, resp.status, "%s", resp.raw)
				assert.Equal(t, codeInvalidBody, resp.errorCode())
				assert.Contains(t, resp.errorDetails()[0], tt.detail)
			}
		})
	}
	// A charset parameter is fine.
	r := h.signed("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	assert.Equal(t, http.StatusAccepted, h.send(r).status)
}

func TestGatewayCreateValidation(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		change func(b map[string]any)
		detail string
	}{
		{"missing name", func(b map[string]any) { delete(b, "name") }, "name: is required"},
		{"null name", func(b map[string]any) { b["name"] = nil }, "name: is required"},
		{"missing ip_address", func(b map[string]any) { delete(b, "ip_address") }, "ip_address: is required"},
		{"missing ip_id", func(b map[string]any) { delete(b, "ip_id") }, "ip_id: is required"},
		{"missing ip_type", func(b map[string]any) { delete(b, "ip_type") }, "ip_type: is required"},
		{"missing vpc_id", func(b map[string]any) { delete(b, "vpc_id") }, "vpc_id: is required"},
		{"empty vpc_id", func(b map[string]any) { b["vpc_id"] = "" }, "vpc_id: must not be empty"},
		{"name type", func(b map[string]any) { b["name"] = 12345 }, "name: must be a string, got an integer"},
		{"name empty", func(b map[string]any) { b["name"] = "" }, "name: must be 1 to 20 characters long, got 0"},
		{"name too long", func(b map[string]any) { b["name"] = strings.Repeat("a", 21) }, "name: must be 1 to 20 characters long, got 21"},
		{"name characters", func(b map[string]any) { b["name"] = "my-gateway" }, `name: must contain only ASCII letters and digits, got "my-gateway"`},
		{"name not ASCII", func(b map[string]any) { b["name"] = "Gateway\u00e91" }, "name: must contain only ASCII letters and digits"},
		{"name fullwidth digit", func(b map[string]any) { b["name"] = "Gateway\uff11" }, "name: must contain only ASCII letters and digits"},
		{"bad ip", func(b map[string]any) { b["ip_address"] = "123.0.0.256" }, "ip_address: must be an IP address"},
		{"ip with a zero too many", func(b map[string]any) { b["ip_address"] = "0123.0.0.1" }, "ip_address: must be an IP address"},
		{"ip with a zone", func(b map[string]any) { b["ip_address"] = "fe80::1%eth0" }, "ip_address: must be an IP address"},
		{"ip of three numbers", func(b map[string]any) { b["ip_address"] = "123.0.1" }, "ip_address: must be an IP address"},
		{"ip type", func(b map[string]any) { b["ip_address"] = []string{"123.0.0.1"} }, "ip_address: must be a string, got an array"},
		{"ip_type", func(b map[string]any) { b["ip_type"] = "PRIVATE" }, `ip_type: must be one of ["PUBLIC"]`},
		{"description type", func(b map[string]any) { b["description"] = true }, "description: must be a string, got a boolean"},
		{"tags type", func(b map[string]any) { b["tags"] = "a=b" }, "tags: must be an array"},
		{"tag key missing", func(b map[string]any) { b["tags"] = []any{map[string]any{"value": "v"}} }, "tags[0].key: is required"},
		{"tag key type", func(b map[string]any) { b["tags"] = []any{map[string]any{"key": 1, "value": "v"}} }, "tags[0].key: must be a string, got an integer"},
		{"tag type", func(b map[string]any) { b["tags"] = []any{"env=prod"} }, "tags[0]: must be an object, got a string"},
		{"tag value missing", func(b map[string]any) { b["tags"] = []any{map[string]any{"key": "k"}} }, "tags[0].value: is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := gatewayBody("gw1")
			tt.change(b)
			r := h.do("POST", v11, "/v1/vpn-gateways", b)
			require.Equal(t, http.StatusBadRequest, r.status, "%s", r.raw)
			assert.Equal(t, codeInvalidParameter, r.errorCode())
			assertDetail(t, r, tt.detail)
		})
	}
	// Every bad field is reported at once.
	r := h.do("POST", v11, "/v1/vpn-gateways", map[string]any{"name": "x-y"})
	require.Equal(t, http.StatusBadRequest, r.status)
	assert.Len(t, r.errorDetails(), 5)
	// Tags are accepted, and unknown fields ignored.
	b := gatewayBody("gw1")
	b["tags"] = []any{map[string]any{"key": "env", "value": ""}}
	b["unknown"] = 1
	assert.Equal(t, http.StatusAccepted, h.do("POST", v11, "/v1/vpn-gateways", b).status)
	// Names are ASCII letters and digits only: one kind of message for
	// every other character, whatever it is.
	for _, name := range []string{"gw 1", "gw_1", "gw.1", "\u0430bc", "gw\x001"} {
		b := gatewayBody(name)
		r := h.do("POST", v11, "/v1/vpn-gateways", b)
		require.Equal(t, http.StatusBadRequest, r.status, "%q", name)
		assertDetail(t, r, "name: must contain only ASCII letters and digits")
	}
}

func TestTunnelCreateValidation(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	phase1 := func(b map[string]any) map[string]any { return b["phase1"].(map[string]any) }
	phase2 := func(b map[string]any) map[string]any { return b["phase2"].(map[string]any) }
	tests := []struct {
		name     string
		versions []string
		change   func(b map[string]any)
		detail   string
	}{
		{"missing name", nil, func(b map[string]any) { delete(b, "name") }, "name: is required"},
		{"missing gateway", nil, func(b map[string]any) { delete(b, "vpn_gateway_id") }, "vpn_gateway_id: is required"},
		{"missing phase1", nil, func(b map[string]any) { delete(b, "phase1") }, "phase1: is required"},
		{"missing phase2", nil, func(b map[string]any) { delete(b, "phase2") }, "phase2: is required"},
		{"phase1 type", nil, func(b map[string]any) { b["phase1"] = []any{} }, "phase1: must be an object, got an array"},
		{"missing dpd", nil, func(b map[string]any) { delete(phase1(b), "dpd_retry_interval") }, "phase1.dpd_retry_interval: is required"},
		{"missing ike", nil, func(b map[string]any) { delete(phase1(b), "ike_version") }, "phase1.ike_version: is required"},
		{"missing peer", nil, func(b map[string]any) { delete(phase1(b), "peer_gateway_ip") }, "phase1.peer_gateway_ip: is required"},
		{"missing phase1 dh", nil, func(b map[string]any) { delete(phase1(b), "phase1_diffie_hellman_groups") }, "phase1.phase1_diffie_hellman_groups: is required"},
		{"missing phase1 enc", nil, func(b map[string]any) { delete(phase1(b), "phase1_encryptions") }, "phase1.phase1_encryptions: is required"},
		{"missing phase1 life", nil, func(b map[string]any) { delete(phase1(b), "phase1_life_time") }, "phase1.phase1_life_time: is required"},
		{"missing psk", nil, func(b map[string]any) { delete(phase1(b), "pre_shared_key") }, "phase1.pre_shared_key: is required"},
		{"missing pfs", nil, func(b map[string]any) { delete(phase2(b), "perfect_forward_secrecy") }, "phase2.perfect_forward_secrecy: is required"},
		{"missing phase2 dh", nil, func(b map[string]any) { delete(phase2(b), "phase2_diffie_hellman_groups") }, "phase2.phase2_diffie_hellman_groups: is required"},
		{"missing phase2 enc", nil, func(b map[string]any) { delete(phase2(b), "phase2_encryptions") }, "phase2.phase2_encryptions: is required"},
		{"missing phase2 life", nil, func(b map[string]any) { delete(phase2(b), "phase2_life_time") }, "phase2.phase2_life_time: is required"},
		{"missing remote_subnet", []string{v10}, func(b map[string]any) { delete(phase2(b), "remote_subnet") }, "phase2.remote_subnet: is required"},
		{"missing remote_subnets", []string{v11}, func(b map[string]any) { delete(phase2(b), "remote_subnets") }, "phase2.remote_subnets: is required"},
		{"remote_subnets in 1.0", []string{v10}, func(b map[string]any) { phase2(b)["remote_subnets"] = []string{"10.1.0.0/16"} }, "phase2.remote_subnets: is not part of version vpn 1.0"},
		{"remote_subnet in 1.1", []string{v11}, func(b map[string]any) { phase2(b)["remote_subnet"] = "10.1.0.0/16" }, "phase2.remote_subnet: is not part of version vpn 1.1"},
		{"dpd type", nil, func(b map[string]any) { phase1(b)["dpd_retry_interval"] = "60" }, "phase1.dpd_retry_interval: must be an integer, got a string"},
		{"dpd fraction", nil, func(b map[string]any) { phase1(b)["dpd_retry_interval"] = 60.5 }, "phase1.dpd_retry_interval: must be an integer, got the number 60.5"},
		{"dpd range", nil, func(b map[string]any) { phase1(b)["dpd_retry_interval"] = 3601 }, "phase1.dpd_retry_interval: must be between 1 and 3600, got 3601"},
		{"dpd zero", nil, func(b map[string]any) { phase1(b)["dpd_retry_interval"] = 0 }, "phase1.dpd_retry_interval: must be between 1 and 3600, got 0"},
		{"ike", nil, func(b map[string]any) { phase1(b)["ike_version"] = 3 }, "phase1.ike_version: must be 1 or 2, got 3"},
		{"peer ip", nil, func(b map[string]any) { phase1(b)["peer_gateway_ip"] = "peer.example.com" }, "phase1.peer_gateway_ip: must be an IP address"},
		{"dh unknown", nil, func(b map[string]any) { phase1(b)["phase1_diffie_hellman_groups"] = []int{3} }, "phase1.phase1_diffie_hellman_groups: unsupported Diffie-Hellman group 3"},
		{"dh too many", nil, func(b map[string]any) { phase1(b)["phase1_diffie_hellman_groups"] = []int{1, 2, 5, 14} }, "phase1.phase1_diffie_hellman_groups: must list 1 to 3"},
		{"dh none", nil, func(b map[string]any) { phase2(b)["phase2_diffie_hellman_groups"] = []int{} }, "phase2.phase2_diffie_hellman_groups: must list 1 to 3"},
		{"dh item type", nil, func(b map[string]any) { phase2(b)["phase2_diffie_hellman_groups"] = []any{"19"} }, "phase2.phase2_diffie_hellman_groups[0]: must be an integer, got a string"},
		{"enc none", nil, func(b map[string]any) { phase1(b)["phase1_encryptions"] = []string{} }, "phase1.phase1_encryptions: must list 1 to 10"},
		{"enc too many", nil, func(b map[string]any) {
			phase2(b)["phase2_encryptions"] = []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11"}
		}, "phase2.phase2_encryptions: must list 1 to 10"},
		{"enc item type", nil, func(b map[string]any) { phase1(b)["phase1_encryptions"] = []any{1} }, "phase1.phase1_encryptions[0]: must be a string, got an integer"},
		{"life low", nil, func(b map[string]any) { phase1(b)["phase1_life_time"] = 119 }, "phase1.phase1_life_time: must be between 120 and 172800"},
		{"life high", nil, func(b map[string]any) { phase2(b)["phase2_life_time"] = 172801 }, "phase2.phase2_life_time: must be between 120 and 172800"},
		{"psk short", nil, func(b map[string]any) { phase1(b)["pre_shared_key"] = "short" }, "phase1.pre_shared_key: must be 8 to 64 characters long, got 5"},
		{"psk long", nil, func(b map[string]any) { phase1(b)["pre_shared_key"] = strings.Repeat("k", 65) }, "phase1.pre_shared_key: must be 8 to 64 characters long, got 65"},
		{"pfs", nil, func(b map[string]any) { phase2(b)["perfect_forward_secrecy"] = "YES" }, `phase2.perfect_forward_secrecy: must be one of ["ENABLE" "DISABLE"], got "YES"`},
		{"cidr 1.0", []string{v10}, func(b map[string]any) { phase2(b)["remote_subnet"] = "10.1.0.0" }, "phase2.remote_subnet: must be a network in CIDR notation"},
		{"cidr bits", []string{v10}, func(b map[string]any) { phase2(b)["remote_subnet"] = "10.1.0.0/" }, "phase2.remote_subnet: must be a network in CIDR notation"},
		{"cidr octet", []string{v10}, func(b map[string]any) { phase2(b)["remote_subnet"] = "10.256.0.0/16" }, "phase2.remote_subnet: must be a network in CIDR notation"},
		{"subnets too many", []string{v11}, func(b map[string]any) {
			list := make([]string, 21)
			for i := range list {
				list[i] = "10.1.0.0/16"
			}
			phase2(b)["remote_subnets"] = list
		}, "phase2.remote_subnets: must list 1 to 20 networks, got 21"},
		{"enc empty item", nil, func(b map[string]any) { phase1(b)["phase1_encryptions"] = []string{"aes256-sha256", ""} }, "phase1.phase1_encryptions[1]: must not be empty"},
		{"dh one bad of three", nil, func(b map[string]any) { phase1(b)["phase1_diffie_hellman_groups"] = []int{19, 20, 22} }, "phase1.phase1_diffie_hellman_groups: unsupported Diffie-Hellman group 22"},
		{"ike zero", nil, func(b map[string]any) { phase1(b)["ike_version"] = 0 }, "phase1.ike_version: must be 1 or 2, got 0"},
		{"dpd low", nil, func(b map[string]any) { phase1(b)["dpd_retry_interval"] = -1 }, "phase1.dpd_retry_interval: must be between 1 and 3600, got -1"},
		{"pfs lower case", nil, func(b map[string]any) { phase2(b)["perfect_forward_secrecy"] = "enable" }, `phase2.perfect_forward_secrecy: must be one of ["ENABLE" "DISABLE"], got "enable"`},
		{"peer ip with a zero too many", nil, func(b map[string]any) { phase1(b)["peer_gateway_ip"] = "123.0.0.0002" }, "phase1.peer_gateway_ip: must be an IP address"},
		{"cidr 1.1", []string{v11}, func(b map[string]any) { phase2(b)["remote_subnets"] = []string{"10.1.1.0/24", "10.1.0.0/33"} }, "phase2.remote_subnets[1]: must be a network in CIDR notation"},
		{"subnets none", []string{v11}, func(b map[string]any) { phase2(b)["remote_subnets"] = []string{} }, "phase2.remote_subnets: must list 1 to 20"},
		{"subnets type", []string{v11}, func(b map[string]any) { phase2(b)["remote_subnets"] = "10.1.0.0/16" }, "phase2.remote_subnets: must be an array of strings, got a string"},
	}
	for _, tt := range tests {
		versions := tt.versions
		if versions == nil {
			versions = []string{v10, v11}
		}
		for _, version := range versions {
			t.Run(tt.name+"/"+version, func(t *testing.T) {
				b := tunnelBody(t, version, gw, "tun1")
				tt.change(b)
				r := h.do("POST", version, "/v1/vpn-tunnels", b)
				require.Equal(t, http.StatusBadRequest, r.status, "%s", r.raw)
				assert.Equal(t, codeInvalidParameter, r.errorCode())
				assertDetail(t, r, tt.detail)
			})
		}
	}
}

func TestTunnelSetValidation(t *testing.T) {
	h := newHarness(t, Options{})
	gw := h.createGateway("gw1")
	id := h.createTunnel(v10, gw, "tun1")
	tests := []struct {
		version string
		body    any
		detail  string
	}{
		{v10, map[string]any{"phase1": map[string]any{"dpd_retry_interval": 0}}, "phase1.dpd_retry_interval: must be between 1 and 3600"},
		{v10, map[string]any{"phase2": map[string]any{"remote_subnets": []string{"10.0.0.0/8"}}}, "phase2.remote_subnets: is not part of version vpn 1.0"},
		{v11, map[string]any{"phase2": map[string]any{"remote_subnet": "10.0.0.0/8"}}, "phase2.remote_subnet: is not part of version vpn 1.1"},
		{v11, map[string]any{"phase2": "x"}, "phase2: must be an object, got a string"},
		{v11, map[string]any{"description": 1}, "description: must be a string"},
	}
	for _, tt := range tests {
		r := h.do("PUT", tt.version, "/v1/vpn-tunnels/"+id, tt.body)
		require.Equal(t, http.StatusBadRequest, r.status, "%s", r.raw)
		assertDetail(t, r, tt.detail)
	}
	// A bad body is a 400 whether or not the tunnel exists.
	r := h.do("PUT", v11, "/v1/vpn-tunnels/2ade2919287040bc92e557fbbe6709c1", map[string]any{"phase1": map[string]any{"ike_version": 0}})
	assert.Equal(t, http.StatusBadRequest, r.status)
	// Nulls are absent fields, and an empty body changes nothing.
	r = h.do("PUT", v11, "/v1/vpn-tunnels/"+id, map[string]any{"phase1": nil, "phase2": map[string]any{"phase2_life_time": nil}})
	assert.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
}

func TestGatewaySetValidation(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.createGateway("gw1")
	r := h.do("PUT", v11, "/v1/vpn-gateways/"+id, map[string]any{"description": []string{"x"}})
	require.Equal(t, http.StatusBadRequest, r.status)
	assertDetail(t, r, "description: must be a string, got an array")
	r = h.do("PUT", v11, "/v1/vpn-gateways/"+id, "[]")
	require.Equal(t, http.StatusBadRequest, r.status)
}

func TestBodyTooLarge(t *testing.T) {
	h := newHarness(t, Options{})
	body := `{"description": "` + strings.Repeat("x", maxBodyBytes) + `"}`
	r := h.do("POST", v11, "/v1/vpn-gateways", body)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
}

// assertDetail checks that one of the error details of r contains want.
func assertDetail(t *testing.T, r *response, want string) {
	t.Helper()
	for _, d := range r.errorDetails() {
		if strings.Contains(d, want) {
			return
		}
	}
	t.Errorf("want a detail containing %q, got %q", want, r.errorDetails())
}

// What no document says the service refuses, the fake accepts: short
// names, host bits, repeated values, empty tag keys, leading zeros. Each is
// accepted alone, on create and set, and answered as given.
func TestRelaxedRulesAccepted(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 100, TunnelQuota: 100, TransitionDelay: -1})
	phase1 := func(b map[string]any) map[string]any { return b["phase1"].(map[string]any) }
	phase2 := func(b map[string]any) map[string]any { return b["phase2"].(map[string]any) }

	gateways := []struct {
		name   string
		change func(b map[string]any)
		check  func(t *testing.T, gw map[string]any)
	}{
		{"one-character name", func(b map[string]any) { b["name"] = "g" }, func(t *testing.T, gw map[string]any) {
			assert.Equal(t, "g", gw["name"])
		}},
		{"two-character name", func(b map[string]any) { b["name"] = "G2" }, nil},
		{"twenty-character name", func(b map[string]any) { b["name"] = strings.Repeat("a", 19) + "Z" }, nil},
		{"empty tag key", func(b map[string]any) { b["tags"] = []any{map[string]any{"key": "", "value": "v"}} }, nil},
		{"IPv4 with leading zeros", func(b map[string]any) { b["ip_address"] = "010.001.002.003" }, func(t *testing.T, gw map[string]any) {
			assert.Equal(t, "010.001.002.003", gw["ip_address"], "answered as given")
		}},
		{"IPv6", func(b map[string]any) { b["ip_address"] = "2001:db8::1" }, nil},
	}
	for _, tt := range gateways {
		t.Run("gateway "+tt.name, func(t *testing.T) {
			b := gatewayBody("gw1")
			tt.change(b)
			r := h.do("POST", v11, "/v1/vpn-gateways", b)
			require.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
			if tt.check != nil {
				tt.check(t, r.body["vpn_gateway"].(map[string]any))
			}
		})
	}

	gw := h.createGateway("gw1")
	tunnels := []struct {
		name     string
		versions []string
		change   func(b map[string]any)
		want     func(t *testing.T, version string, tun map[string]any)
	}{
		{"one-character name", nil, func(b map[string]any) { b["name"] = "t" }, nil},
		{"repeated phase 1 proposals", nil, func(b map[string]any) {
			phase1(b)["phase1_encryptions"] = []string{"aes256-sha256", "aes256-sha256"}
		}, func(t *testing.T, _ string, tun map[string]any) {
			assert.Equal(t, []any{"aes256-sha256", "aes256-sha256"}, tun["phase1"].(map[string]any)["encryptions"])
		}},
		{"repeated phase 2 proposals", nil, func(b map[string]any) { phase2(b)["phase2_encryptions"] = []string{"aes128gcm", "aes128gcm"} }, nil},
		{"repeated phase 1 groups", nil, func(b map[string]any) { phase1(b)["phase1_diffie_hellman_groups"] = []int{19, 19, 19} }, nil},
		{"repeated phase 2 groups", nil, func(b map[string]any) {
			phase2(b)["phase2_diffie_hellman_groups"] = []int{14, 14}
		}, func(t *testing.T, _ string, tun map[string]any) {
			assert.Equal(t, []any{14.0, 14.0}, tun["phase2"].(map[string]any)["diffie_hellman_groups"])
		}},
		{"host bits", []string{v10}, func(b map[string]any) { phase2(b)["remote_subnet"] = "10.1.2.3/16" }, func(t *testing.T, _ string, tun map[string]any) {
			assert.Equal(t, "10.1.2.3/16", tun["phase2"].(map[string]any)["remote_subnet"], "answered as given")
		}},
		{"host bits in the list", []string{v11}, func(b map[string]any) { phase2(b)["remote_subnets"] = []string{"10.1.2.3/16", "192.168.0.1/24"} }, nil},
		{"repeated remote subnets", []string{v11}, func(b map[string]any) {
			phase2(b)["remote_subnets"] = []string{"10.1.0.0/16", "10.1.0.0/16"}
		}, func(t *testing.T, _ string, tun map[string]any) {
			assert.Equal(t, []any{"10.1.0.0/16", "10.1.0.0/16"}, tun["phase2"].(map[string]any)["remote_subnets"])
		}},
		{"twenty remote subnets", []string{v11}, func(b map[string]any) {
			list := make([]string, 20)
			for i := range list {
				list[i] = "10." + strconv.Itoa(i) + ".0.0/16"
			}
			phase2(b)["remote_subnets"] = list
		}, nil},
		{"remote subnet with leading zeros", []string{v10}, func(b map[string]any) { phase2(b)["remote_subnet"] = "010.001.000.000/16" }, nil},
		{"peer IPv4 with leading zeros", nil, func(b map[string]any) { phase1(b)["peer_gateway_ip"] = "010.001.002.003" }, func(t *testing.T, _ string, tun map[string]any) {
			assert.Equal(t, "010.001.002.003", tun["phase1"].(map[string]any)["peer_gateway_ip"])
		}},
		{"empty tag key", nil, func(b map[string]any) { b["tags"] = []any{map[string]any{"key": "", "value": ""}} }, nil},
	}
	for _, tt := range tunnels {
		versions := tt.versions
		if versions == nil {
			versions = []string{v10, v11}
		}
		for _, version := range versions {
			t.Run("tunnel "+tt.name+"/"+version, func(t *testing.T) {
				b := tunnelBody(t, version, gw, "tun1")
				tt.change(b)
				r := h.do("POST", version, "/v1/vpn-tunnels", b)
				require.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
				tun := r.body["vpn_tunnel"].(map[string]any)
				if tt.want != nil {
					tt.want(t, version, tun)
				}
				// The same values are accepted by a set.
				id := tun["id"].(string)
				set := map[string]any{"phase1": b["phase1"], "phase2": b["phase2"]}
				r = h.do("PUT", version, "/v1/vpn-tunnels/"+id, set)
				require.Equal(t, http.StatusAccepted, r.status, "%s", r.raw)
				require.Equal(t, http.StatusAccepted, h.do("DELETE", version, "/v1/vpn-tunnels/"+id, nil).status)
			})
		}
	}
}
