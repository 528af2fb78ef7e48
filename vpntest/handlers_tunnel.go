package vpntest

// This file holds the handlers of the VPN tunnel endpoints.

import (
	"net/http"
	"slices"
	"time"
)

// createTunnel serves POST /v1/vpn-tunnels.
func (s *Server) createTunnel(c *call) (int, any, error) {
	o, err := decodeBody(c)
	if err != nil {
		return 0, nil, err
	}
	in := parseTunnelCreate(o, c.version)
	if err := o.errs.err(); err != nil {
		return 0, nil, err
	}
	g, ok := s.store.gateways[in.gatewayID]
	if !ok {
		return 0, nil, errorf(http.StatusNotFound, codeNotFound, "vpn_gateway_id: VPN gateway %q not found", in.gatewayID)
	}
	if g.state != stateActive {
		return 0, nil, errorf(http.StatusConflict, codeConflict,
			"VPN gateway %q is %s; tunnels can be added only when it is ACTIVE", g.id, g.state)
	}
	if n := s.store.liveTunnels(g.id); n >= s.opts.TunnelQuota {
		return 0, nil, errorf(http.StatusBadRequest, codeQuotaExceeded,
			"VPN tunnel quota exceeded: VPN gateway %q already has %d of at most %d VPN tunnels", g.id, n, s.opts.TunnelQuota)
	}
	t := s.newTunnel(g, in, s.store.nextSeq(), c.now)
	s.begin(&t.resource, stateCreating, stateActive, c.now)
	s.store.tunnels[t.id] = t
	return http.StatusAccepted, tunnelShowJSON{VPNTunnel: s.tunnelJSON(t, c.version, viewDetail)}, nil
}

// newTunnel returns a tunnel of g made of in, created at now.
func (s *Server) newTunnel(g *gateway, in tunnelInput, seq uint64, now time.Time) *tunnel {
	return &tunnel{
		resource: resource{
			seq:         seq,
			id:          newID(),
			name:        in.name,
			description: in.description,
			tags:        in.tags,
			createdAt:   now,
			createdBy:   s.userID,
			modifiedAt:  now,
			modifiedBy:  s.userID,
		},
		gatewayID:   g.id,
		gatewayName: g.name,
		gatewayIP:   g.ipAddress,
		vpcID:       g.vpcID,
		vpcName:     g.vpcName,
		phase1:      in.phase1,
		phase2:      in.phase2,
	}
}

// findTunnel returns the tunnel of the path or a 404.
func (s *Server) findTunnel(id string) (*tunnel, error) {
	t, ok := s.store.tunnels[id]
	if !ok {
		return nil, errorf(http.StatusNotFound, codeNotFound, "VPN tunnel %q not found", id)
	}
	return t, nil
}

// getTunnel serves GET /v1/vpn-tunnels/{id}, the one view with status.
func (s *Server) getTunnel(c *call) (int, any, error) {
	t, err := s.findTunnel(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, tunnelShowJSON{VPNTunnel: s.tunnelJSON(t, c.version, viewShow)}, nil
}

// setTunnel serves PUT /v1/vpn-tunnels/{id}. The body is validated before
// the tunnel is looked up, so a bad body is a 400 even for an unknown id.
func (s *Server) setTunnel(c *call) (int, any, error) {
	o, err := decodeBody(c)
	if err != nil {
		return 0, nil, err
	}
	// Validate against an empty tunnel first: the answer must not depend
	// on whether the id exists.
	parseTunnelSet(o, c.version, &tunnel{})
	if err := o.errs.err(); err != nil {
		return 0, nil, err
	}
	t, err := s.findTunnel(c.id)
	if err != nil {
		return 0, nil, err
	}
	if t.state != stateActive {
		return 0, nil, errorf(http.StatusConflict, codeConflict,
			"VPN tunnel %q is %s; it can be modified only when ACTIVE", t.id, t.state)
	}
	p := parseTunnelSet(o, c.version, t)
	t.description, t.phase1, t.phase2 = p.description, p.phase1, p.phase2
	t.modifiedAt, t.modifiedBy = c.now, s.userID
	s.begin(&t.resource, stateEditing, stateActive, c.now)
	return http.StatusAccepted, tunnelShowJSON{VPNTunnel: s.tunnelJSON(t, c.version, viewDetail)}, nil
}

// deleteTunnel serves DELETE /v1/vpn-tunnels/{id}.
func (s *Server) deleteTunnel(c *call) (int, any, error) {
	t, err := s.findTunnel(c.id)
	if err != nil {
		return 0, nil, err
	}
	if !deletable(t.state) {
		return 0, nil, errorf(http.StatusConflict, codeConflict,
			"VPN tunnel %q is %s; it can be deleted only when ACTIVE or ERROR", t.id, t.state)
	}
	s.begin(&t.resource, stateDeleting, "", c.now)
	return http.StatusAccepted, nil, nil
}

// listTunnels serves GET /v1/vpn-tunnels. peer_gateway_ip and
// remote_subnet filter in version 1.0 only; version 1.1 does not define
// them and ignores them like any unknown parameter.
func (s *Server) listTunnels(c *call) (int, any, error) {
	q, err := parseListQuery(c, tunnelSortFields)
	if err != nil {
		return 0, nil, err
	}
	var matched []*tunnel
	for _, t := range s.store.tunnels {
		if !q.contains("name", t.name) || !q.equals("vpn_gateway_id", t.gatewayID) ||
			!q.contains("vpn_gateway_name", t.gatewayName) {
			continue
		}
		if c.version == v1Dot0 {
			if !q.equals("peer_gateway_ip", t.phase1.peerGatewayIP) {
				continue
			}
			if f := q.filters.Get("remote_subnet"); f != "" && !slices.Contains(t.phase2.remoteSubnets, f) {
				continue
			}
		}
		matched = append(matched, t)
	}
	sortResources(matched, q.sorts)
	items := []tunnelJSON{}
	for _, t := range page(matched, q.page, q.size) {
		items = append(items, s.tunnelJSON(t, c.version, viewList))
	}
	return http.StatusOK, q.answer("vpn_tunnels", len(matched), items), nil
}
