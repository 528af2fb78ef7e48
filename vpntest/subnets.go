package vpntest

// This file holds the subnet availability endpoint: whether a remote
// subnet is free on a gateway, from the tunnels the fake holds.

import (
	"net/http"

	"github.com/scpsdk/scpvpn/internal/validate"
)

// Availabilities of a remote subnet (VpnTunnelRemoteSubnetAvailability).
const (
	subnetAvailable = "AVAILABLE"
	subnetDuplicate = "DUPLICATE"
	subnetInvalid   = "INVALID"
)

// subnetAvailabilityJSON is the answer of the endpoint
// (VpnTunnelSubnetAvailabilityResponse).
type subnetAvailabilityJSON struct {
	Availability struct {
		VPNGatewayID string `json:"vpn_gateway_id"`
		RemoteSubnet string `json:"remote_subnet"`
		Availability string `json:"availability"`
	} `json:"vpn_tunnel_subnet_availability"`
}

// checkSubnet serves GET /v1/vpn-tunnels/vpn-tunnel-subnet-availabilities.
// Both parameters are required (400, its body a list of ValidationErrorModel
// as the documents declare). The gateway must exist (404). The
// subnet is INVALID if it is not a network in CIDR notation, DUPLICATE if
// it overlaps a remote subnet of a tunnel of the gateway (one containing
// the other, or equal), AVAILABLE otherwise. Host bits do not matter:
// 10.1.2.3/16 is 10.1.0.0/16.
func (s *Server) checkSubnet(c *call) (int, any, error) {
	q, err := c.declaredQuery()
	if err != nil {
		return 0, nil, err
	}
	var missing []validationEntry
	gatewayID, subnet := q.Get("vpn_gateway_id"), q.Get("remote_subnet")
	if gatewayID == "" {
		missing = append(missing, missingParam("vpn_gateway_id"))
	}
	if subnet == "" {
		missing = append(missing, missingParam("remote_subnet"))
	}
	if missing != nil {
		return 0, nil, validationError(missing...)
	}
	g, err := s.findGateway(gatewayID)
	if err != nil {
		return 0, nil, err
	}
	var out subnetAvailabilityJSON
	out.Availability.VPNGatewayID = g.id
	out.Availability.RemoteSubnet = subnet
	out.Availability.Availability = s.store.subnetAvailability(g.id, subnet)
	return http.StatusOK, out, nil
}

// subnetAvailability tells whether subnet is free on the gateway: not
// taken, in whole or in part, by a live tunnel of it.
func (s *store) subnetAvailability(gatewayID, subnet string) string {
	want, ok := validate.ParsePrefix(subnet)
	if !ok {
		return subnetInvalid
	}
	for _, t := range s.tunnels {
		if t.gatewayID != gatewayID || t.state == stateDeleted {
			continue
		}
		for _, taken := range t.phase2.remoteSubnets {
			// Overlaps is false between IPv4 and IPv6 networks.
			if p, ok := validate.ParsePrefix(taken); ok && p.Overlaps(want) {
				return subnetDuplicate
			}
		}
	}
	return subnetAvailable
}
