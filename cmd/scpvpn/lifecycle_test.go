package main

// This file holds the life cycle of a gateway and its tunnels, through the
// built command, in both versions of the API.

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// gatewayFile is a gateway create request.
func gatewayFile(name string) string {
	return fmt.Sprintf(`{
  "name": %q,
  "vpc_id": "vpc0a1b2c3d",
  "ip_id": "ip0a1b2c3d",
  "ip_address": "192.0.2.10",
  "ip_type": "PUBLIC",
  "description": "to the data centre",
  "tags": [{"key": "env", "value": "test"}]
}`, name)
}

// createdGateway is the answer to the create of gatewayFile(name): the
// gateway it asks for, CREATING, with id, which is JSON text (escapes
// included) the answer gives as it is.
func createdGateway(id, name string) string {
	return fmt.Sprintf(`{"vpn_gateway": {"id": "%s", "name": %q, "vpc_id": "vpc0a1b2c3d", "ip_id": "ip0a1b2c3d",
  "ip_address": "192.0.2.10", "ip_type": "PUBLIC", "description": "to the data centre", "state": "CREATING",
  "created_at": "2024-05-17T00:23:17Z"}}`, id, name)
}

// tunnelFile is a tunnel create request of the version, to subnet.
func tunnelFile(version, name, gatewayID, subnet string) string {
	return fmt.Sprintf(`{
  "name": %q,
  "vpn_gateway_id": %q,
  "phase1": {
    "ike_version": 2,
    "peer_gateway_ip": "203.0.113.7",
    "pre_shared_key": %q,
    "dpd_retry_interval": 60,
    "phase1_diffie_hellman_groups": [14],
    "phase1_encryptions": ["aes256-sha256"],
    "phase1_life_time": 86400
  },
  "phase2": {
    %s,
    "perfect_forward_secrecy": "ENABLE",
    "phase2_diffie_hellman_groups": [14],
    "phase2_encryptions": ["aes256-sha256"],
    "phase2_life_time": 43200
  }
}`, name, gatewayID, testPSK, remoteSubnetJSON(version, subnet))
}

// remoteSubnetJSON is the member of phase 2 that names subnet in the
// version: "remote_subnet" in 1.0, "remote_subnets" in 1.1.
func remoteSubnetJSON(version, subnet string) string {
	if version == version1Dot0 {
		return fmt.Sprintf(`"remote_subnet": %q`, subnet)
	}
	return fmt.Sprintf(`"remote_subnets": [%q]`, subnet)
}

// A tunnel as -o json prints it, in either version.
type tunnelJSON struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	State        string `json:"state"`
	VPNGatewayID string `json:"vpn_gateway_id"`
	Phase2       struct {
		RemoteSubnet  string   `json:"remote_subnet"`
		RemoteSubnets []string `json:"remote_subnets"`
	} `json:"phase2"`
}

// subnets returns the remote subnets of either version.
func (t tunnelJSON) subnets() []string {
	if t.Phase2.RemoteSubnet != "" {
		return []string{t.Phase2.RemoteSubnet}
	}
	return t.Phase2.RemoteSubnets
}

// A gateway and two tunnels go through their whole life, in both versions.
func TestLifeCycle(t *testing.T) {
	t.Parallel()
	for _, version := range []string{version1Dot1, version1Dot0} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			lifeCycle(t, version)
		})
	}
}

func lifeCycle(t *testing.T, version string) {
	c := newCLI(t, vpntest.Options{})
	v := []string{"--api-version", version}

	var gw scpvpn.Gateway
	r := c.jsonOK(&gw, append(v, "gateways", "create", "-f", writeFile(t, "gw.json", gatewayFile("gw1")), "--wait")...)
	assert.Equal(t, "gw1", gw.Name)
	assert.Equal(t, scpvpn.StateActive, gw.State, "--wait waits until ACTIVE")
	if version == version1Dot0 {
		assert.Contains(t, r.stderr, "deprecated")
	} else {
		assert.NotContains(t, r.stderr, "deprecated")
	}

	// One tunnel from a file, one from standard input.
	var tn1, tn2 tunnelJSON
	c.jsonOK(&tn1, append(v, "tunnels", "create", "-f", writeFile(t, "tn.json", tunnelFile(version, "tn1", gw.ID, "10.1.0.0/16")))...)
	assert.Equal(t, "tn1", tn1.Name)
	assert.Equal(t, []string{"10.1.0.0/16"}, tn1.subnets())
	psk, err := c.srv.PreSharedKey(tn1.ID)
	require.NoError(t, err)
	assert.Equal(t, testPSK, psk, "the pre-shared key of the file reached the API")

	r = c.runWith(tunnelFile(version, "tn2", gw.ID, "10.2.0.0/16"), append(v, "tunnels", "create", "-f", "-", "--wait", "-o", "json")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	decodeOnly(t, r.stdout, &tn2)
	assert.Equal(t, "ACTIVE", tn2.State)

	var list []tunnelJSON
	c.jsonOK(&list, append(v, "tunnels", "list", "--vpn-gateway-id", gw.ID, "--sort", "name:desc")...)
	require.Len(t, list, 2)
	assert.Equal(t, []string{"tn2", "tn1"}, []string{list[0].Name, list[1].Name})

	list = nil
	c.jsonOK(&list, append(v, "tunnels", "list", "--all", "--size", "1")...)
	assert.Len(t, list, 2, "--all walks every page")
	list = nil
	c.jsonOK(&list, append(v, "tunnels", "list", "--name", "tn2")...)
	require.Len(t, list, 1)
	assert.Equal(t, tn2.ID, list[0].ID)
	if version == version1Dot0 {
		list = nil
		c.jsonOK(&list, append(v, "tunnels", "list", "--remote-subnet", "10.1.0.0/16", "--peer-gateway-ip", "203.0.113.7")...)
		require.Len(t, list, 1)
		assert.Equal(t, tn1.ID, list[0].ID)
	}
	var gws []scpvpn.Gateway
	c.jsonOK(&gws, append(v, "gateways", "list", "--name", "gw1", "--vpc-id", "vpc0a1b2c3d")...)
	require.Len(t, gws, 1)
	assert.Equal(t, gw.ID, gws[0].ID)

	var got tunnelJSON
	c.jsonOK(&got, append(v, "tunnels", "get", tn1.ID)...)
	assert.Equal(t, tn1.ID, got.ID)
	assert.Equal(t, gw.ID, got.VPNGatewayID)

	var set tunnelJSON
	c.jsonOK(&set, append(v, "tunnels", "set", tn1.ID, "--description", "edited", "--wait")...)
	assert.Equal(t, "edited", set.Description)
	assert.Equal(t, "ACTIVE", set.State)
	c.jsonOK(&set, append(v, "tunnels", "set", tn2.ID, "-f", writeFile(t, "set.json", `{"phase2": {`+remoteSubnetJSON(version, "10.3.0.0/16")+`}}`), "--wait")...)
	assert.Equal(t, []string{"10.3.0.0/16"}, set.subnets())
	var gwSet scpvpn.Gateway
	c.jsonOK(&gwSet, append(v, "gateways", "set", gw.ID, "--description", "edited too", "--wait")...)
	assert.Equal(t, "edited too", gwSet.Description)

	var tq scpvpn.TunnelQuota
	c.jsonOK(&tq, append(v, "tunnels", "quota", "--vpn-gateway-id", gw.ID)...)
	assert.Equal(t, scpvpn.TunnelQuota{Max: 5, Used: 2}, tq)
	var gq scpvpn.GatewayQuota
	c.jsonOK(&gq, append(v, "gateways", "quota", "--vpc-id", gw.VPCID)...)
	assert.Equal(t, scpvpn.GatewayQuota{Max: 3, Used: 1}, gq)

	var avail scpvpn.SubnetAvailability
	c.jsonOK(&avail, append(v, "tunnels", "check-subnet", gw.ID, "10.1.2.0/24")...)
	assert.Equal(t, scpvpn.SubnetAvailability{VPNGatewayID: gw.ID, RemoteSubnet: "10.1.2.0/24", Availability: scpvpn.SubnetDuplicate}, avail)
	c.jsonOK(&avail, append(v, "tunnels", "check-subnet", gw.ID, "10.9.0.0/16")...)
	assert.Equal(t, scpvpn.SubnetAvailable, avail.Availability)

	// The gateway cannot go while it has tunnels: the API's 409.
	r = c.run(append(v, "gateways", "delete", gw.ID)...)
	assert.Equal(t, exitFailure, r.code)
	assert.Contains(t, r.stderr, "409 Conflict")
	assert.Empty(t, r.stdout)

	for _, id := range []string{tn1.ID, tn2.ID} {
		r = c.ok(append(v, "tunnels", "delete", id, "--wait")...)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, "deleted")
		assert.Equal(t, exitNotFound, c.run(append(v, "tunnels", "get", id)...).code)
	}
	c.jsonOK(&tq, append(v, "tunnels", "quota", "--vpn-gateway-id", gw.ID)...)
	assert.Equal(t, 0, tq.Used)

	r = c.ok(append(v, "gateways", "delete", gw.ID, "--wait", "-o", "json")...)
	assert.Empty(t, r.stdout, "delete prints nothing with -o json")
	assert.Equal(t, exitNotFound, c.run(append(v, "gateways", "get", gw.ID)...).code)
	assert.Equal(t, exitNotFound, c.run(append(v, "gateways", "delete", gw.ID)...).code)
	c.ok(append(v, "gateways", "wait", gw.ID, "--deleted")...)
	list = nil
	c.jsonOK(&list, append(v, "tunnels", "list")...)
	assert.Empty(t, list)
}
