package vpntest

// This file holds the tests of the VPN gateway endpoints and of states.

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestGatewayLifecycle(t *testing.T) {
	for _, version := range []string{v10, v11} {
		t.Run(version, func(t *testing.T) {
			h := newHarness(t, Options{AccountID: "0e3dffc50eb247a1adf4f2e5c82c4f99"})
			suffix := "1_1"
			if version == v10 {
				suffix = "1_0"
			}

			// Create: 202, CREATING, the reference's shape.
			create := h.do("POST", version, "/v1/vpn-gateways", fixture(t, "gateway_create_"+suffix+"_request.json"))
			require.Equal(t, http.StatusAccepted, create.status, "%s", create.raw)
			requireSameShape(t, fixture(t, "gateway_create_"+suffix+"_response.json"), create.body, "")
			gw := create.body["vpn_gateway"].(map[string]any)
			id := gw["id"].(string)
			assert.Regexp(t, hexID, id)
			assert.Equal(t, "CREATING", gw["state"])
			assert.Equal(t, "0e3dffc50eb247a1adf4f2e5c82c4f99", gw["account_id"])
			assert.Equal(t, "2024-05-17T00:23:17Z", gw["created_at"])
			assert.Equal(t, gw["created_at"], gw["modified_at"])
			assert.Regexp(t, hexID, gw["created_by"])
			assert.Equal(t, gw["created_by"], gw["modified_by"])
			assert.Equal(t, "ExampleVpnGW1", gw["name"])
			assert.Equal(t, "123.0.0.1", gw["ip_address"])
			assert.Equal(t, "PUBLIC", gw["ip_type"])
			assert.Equal(t, "VPC-ceb44ea5", gw["vpc_name"])
			assert.Equal(t, "application/json", create.header.Get("Content-Type"))

			// Still CREATING before the delay, ACTIVE after.
			h.clock.Advance(DefaultTransitionDelay - time.Millisecond)
			show := h.do("GET", version, "/v1/vpn-gateways/"+id, nil)
			require.Equal(t, http.StatusOK, show.status)
			assert.Equal(t, "CREATING", show.body["vpn_gateway"].(map[string]any)["state"])
			h.clock.Advance(time.Millisecond)
			show = h.do("GET", version, "/v1/vpn-gateways/"+id, nil)
			requireSameShape(t, fixture(t, "gateway_show_"+suffix+"_response.json"), show.body, "")
			assert.Equal(t, "ACTIVE", show.body["vpn_gateway"].(map[string]any)["state"])

			// Set: 200, EDITING, description and modified_at changed.
			h.clock.Advance(time.Hour)
			set := h.do("PUT", version, "/v1/vpn-gateways/"+id, map[string]any{"description": "changed"})
			require.Equal(t, http.StatusOK, set.status, "%s", set.raw)
			requireSameShape(t, fixture(t, "gateway_set_"+suffix+"_response.json"), set.body, "")
			gw = set.body["vpn_gateway"].(map[string]any)
			assert.Equal(t, "EDITING", gw["state"])
			assert.Equal(t, "changed", gw["description"])
			assert.Equal(t, "2024-05-17T01:23:17Z", gw["modified_at"])
			assert.Equal(t, "2024-05-17T00:23:17Z", gw["created_at"])

			// Set while EDITING, delete while EDITING: 409.
			conflict := h.do("PUT", version, "/v1/vpn-gateways/"+id, map[string]any{"description": "again"})
			require.Equal(t, http.StatusConflict, conflict.status)
			assert.Contains(t, conflict.errorDetails()[0], "EDITING")
			conflict = h.do("DELETE", version, "/v1/vpn-gateways/"+id, nil)
			require.Equal(t, http.StatusConflict, conflict.status)

			h.clock.Advance(DefaultTransitionDelay)
			list := h.do("GET", version, "/v1/vpn-gateways", nil)
			require.Equal(t, http.StatusOK, list.status)
			requireSameShape(t, fixture(t, "gateway_list_"+suffix+"_response.json"), list.body, "")
			assert.EqualValues(t, 1, list.body["count"])
			assert.Equal(t, "ACTIVE", list.body["vpn_gateways"].([]any)[0].(map[string]any)["state"])

			// Delete: 202 without a body, DELETING, then gone.
			del := h.do("DELETE", version, "/v1/vpn-gateways/"+id, nil)
			require.Equal(t, http.StatusAccepted, del.status)
			assert.Empty(t, del.raw)
			assert.Empty(t, del.header.Get("Content-Type"))
			show = h.do("GET", version, "/v1/vpn-gateways/"+id, nil)
			assert.Equal(t, "DELETING", show.body["vpn_gateway"].(map[string]any)["state"])
			again := h.do("DELETE", version, "/v1/vpn-gateways/"+id, nil)
			assert.Equal(t, http.StatusConflict, again.status)
			h.clock.Advance(DefaultTransitionDelay)
			show = h.do("GET", version, "/v1/vpn-gateways/"+id, nil)
			require.Equal(t, http.StatusNotFound, show.status)
			assert.Equal(t, codeNotFound, show.errorCode())
			assert.Contains(t, show.errorDetails()[0], id)
		})
	}
}

func TestGatewayNotFound(t *testing.T) {
	h := newHarness(t, Options{})
	for _, method := range []string{"GET", "PUT", "DELETE"} {
		var body any
		if method == "PUT" {
			body = map[string]any{"description": "x"}
		}
		r := h.do(method, v11, "/v1/vpn-gateways/0fdd87aab8cb46f59b7c1f81ed03fb3e", body)
		assert.Equal(t, http.StatusNotFound, r.status, method)
		assert.Equal(t, codeNotFound, r.errorCode(), method)
	}
}

func TestGatewayQuota(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 2})
	first := h.createGateway("gw1")
	h.createGateway("gw2")
	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw3"))
	require.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, codeQuotaExceeded, r.errorCode())
	assert.Contains(t, r.errorDetails()[0], "quota")
	assert.Contains(t, r.errorDetails()[0], "2")

	// A gateway being deleted still counts; a gone one does not.
	require.Equal(t, http.StatusAccepted, h.do("DELETE", v11, "/v1/vpn-gateways/"+first, nil).status)
	require.Equal(t, http.StatusBadRequest, h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw3")).status)
	h.clock.Advance(time.Second)
	require.Equal(t, http.StatusAccepted, h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw3")).status)
}

func TestGatewayDefaultQuota(t *testing.T) {
	h := newHarness(t, Options{TransitionDelay: -1})
	for _, name := range []string{"gw1", "gw2", "gw3"} {
		h.createGateway(name)
	}
	assert.Equal(t, http.StatusBadRequest, h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw4")).status)
}

func TestGatewaySetEmptyBodyAndNull(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.createGateway("gw1")
	r := h.do("PUT", v11, "/v1/vpn-gateways/"+id, map[string]any{"description": nil})
	require.Equal(t, http.StatusOK, r.status, "%s", r.raw)
	assert.Equal(t, "Example Description for VPN Gateway", r.body["vpn_gateway"].(map[string]any)["description"])
}

func TestGatewayDescriptionNullWhenUnset(t *testing.T) {
	h := newHarness(t, Options{})
	body := gatewayBody("gw1")
	delete(body, "description")
	delete(body, "tags")
	r := h.do("POST", v11, "/v1/vpn-gateways", body)
	require.Equal(t, http.StatusAccepted, r.status)
	gw := r.body["vpn_gateway"].(map[string]any)
	v, present := gw["description"]
	assert.True(t, present)
	assert.Nil(t, v)
}

func TestImmediateTransitions(t *testing.T) {
	h := newHarness(t, Options{TransitionDelay: -1})
	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	require.Equal(t, "CREATING", r.body["vpn_gateway"].(map[string]any)["state"])
	id := r.body["vpn_gateway"].(map[string]any)["id"].(string)
	// The very next access sees ACTIVE, with the clock standing still.
	show := h.do("GET", v11, "/v1/vpn-gateways/"+id, nil)
	assert.Equal(t, "ACTIVE", show.body["vpn_gateway"].(map[string]any)["state"])

	require.Equal(t, http.StatusAccepted, h.do("DELETE", v11, "/v1/vpn-gateways/"+id, nil).status)
	assert.Equal(t, http.StatusNotFound, h.do("GET", v11, "/v1/vpn-gateways/"+id, nil).status)
}

func TestTransitionDelayOption(t *testing.T) {
	h := newHarness(t, Options{TransitionDelay: time.Minute})
	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	id := r.body["vpn_gateway"].(map[string]any)["id"].(string)
	h.clock.Advance(59 * time.Second)
	state, err := h.srv.State(id)
	require.NoError(t, err)
	assert.Equal(t, "CREATING", state)
	h.clock.Advance(time.Second)
	state, err = h.srv.State(id)
	require.NoError(t, err)
	assert.Equal(t, "ACTIVE", state)
}

func TestForceState(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw1"))
	id := r.body["vpn_gateway"].(map[string]any)["id"].(string)

	require.NoError(t, h.srv.ForceState(id, "ERROR"))
	// The pending CREATING -> ACTIVE is cancelled.
	h.clock.Advance(time.Hour)
	show := h.do("GET", v11, "/v1/vpn-gateways/"+id, nil)
	assert.Equal(t, "ERROR", show.body["vpn_gateway"].(map[string]any)["state"])

	// Tunnels cannot be added to it, but it can be deleted.
	tr := h.do("POST", v11, "/v1/vpn-tunnels", tunnelBody(t, v11, id, "tun1"))
	assert.Equal(t, http.StatusConflict, tr.status)
	assert.Equal(t, http.StatusConflict, h.do("PUT", v11, "/v1/vpn-gateways/"+id, map[string]any{"description": "x"}).status)
	assert.Equal(t, http.StatusAccepted, h.do("DELETE", v11, "/v1/vpn-gateways/"+id, nil).status)

	assert.ErrorContains(t, h.srv.ForceState("nope", "ACTIVE"), "nope")
	assert.ErrorContains(t, h.srv.ForceState(id, "BROKEN"), "BROKEN")
	_, err := h.srv.State("nope")
	assert.Error(t, err)
}

func TestForceStateDeletedKeepsResourceVisible(t *testing.T) {
	h := newHarness(t, Options{GatewayQuota: 1})
	id := h.createGateway("gw1")
	require.NoError(t, h.srv.ForceState(id, "DELETED"))
	show := h.do("GET", v11, "/v1/vpn-gateways/"+id, nil)
	require.Equal(t, http.StatusOK, show.status)
	assert.Equal(t, "DELETED", show.body["vpn_gateway"].(map[string]any)["state"])
	// A DELETED gateway no longer takes quota.
	assert.Equal(t, http.StatusAccepted, h.do("POST", v11, "/v1/vpn-gateways", gatewayBody("gw2")).status)
}
