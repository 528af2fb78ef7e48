package vpntest

// This file holds the quota endpoints: how many gateways and tunnels the
// fake allows, and how many are in use, as it counts them when it
// enforces the quotas.

import "net/http"

// gatewayQuotaJSON and tunnelQuotaJSON are the answers of the quota
// endpoints (VpnGatewayQuotaResponse, VpnTunnelQuotaResponse).
type gatewayQuotaJSON struct {
	Max  int `json:"vpn_gateway_max_quota"`
	Used int `json:"vpn_gateway_used_quota"`
}

type tunnelQuotaJSON struct {
	Max  int `json:"vpn_tunnel_max_quota"`
	Used int `json:"vpn_tunnel_used_quota"`
}

// gatewayQuota serves GET /v1/vpn-gateways/metrics/quotas. The fake's
// gateway quota is the account's, so vpc_id is accepted and changes
// nothing: the answer is the account's, whichever VPC is asked about.
func (s *Server) gatewayQuota(c *call) (int, any, error) {
	if _, err := c.declaredQuery(); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, gatewayQuotaJSON{Max: s.opts.GatewayQuota, Used: s.store.liveGateways()}, nil
}

// tunnelQuota serves GET /v1/vpn-tunnels/metrics/quotas. With
// vpn_gateway_id, the answer is that gateway's: its tunnels against the
// per-gateway quota (404 for an unknown gateway). Without, it is the
// account's: every tunnel, against the most the account can hold, the
// per-gateway quota times the gateway quota.
func (s *Server) tunnelQuota(c *call) (int, any, error) {
	q, err := c.declaredQuery()
	if err != nil {
		return 0, nil, err
	}
	gatewayID := q.Get("vpn_gateway_id")
	if gatewayID == "" {
		return http.StatusOK, tunnelQuotaJSON{
			Max:  s.opts.TunnelQuota * s.opts.GatewayQuota,
			Used: s.store.liveTunnels(""),
		}, nil
	}
	g, err := s.findGateway(gatewayID)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, tunnelQuotaJSON{Max: s.opts.TunnelQuota, Used: s.store.liveTunnels(g.id)}, nil
}
