package vpntest

// This file holds the handlers of the VPN gateway endpoints.

import "net/http"

// vpcName makes up the name of a VPC the fake knows only by id.
func vpcName(vpcID string) string {
	if len(vpcID) > 8 {
		vpcID = vpcID[:8]
	}
	return "VPC-" + vpcID
}

// createGateway serves POST /v1/vpn-gateways.
func (s *Server) createGateway(c *call) (int, any, error) {
	o, err := decodeBody(c)
	if err != nil {
		return 0, nil, err
	}
	in := parseGatewayCreate(o)
	if err := o.errs.err(); err != nil {
		return 0, nil, err
	}
	if n := s.store.liveGateways(); n >= s.opts.GatewayQuota {
		return 0, nil, errorf(http.StatusBadRequest, codeQuotaExceeded,
			"VPN gateway quota exceeded: the account already has %d of at most %d VPN gateways", n, s.opts.GatewayQuota)
	}
	g := &gateway{
		resource: resource{
			seq:         s.store.nextSeq(),
			id:          newID(),
			name:        in.name,
			description: in.description,
			tags:        in.tags,
			createdAt:   c.now,
			createdBy:   s.userID,
			modifiedAt:  c.now,
			modifiedBy:  s.userID,
		},
		ipAddress: in.ipAddress,
		ipID:      in.ipID,
		ipType:    in.ipType,
		vpcID:     in.vpcID,
		vpcName:   vpcName(in.vpcID),
	}
	s.begin(&g.resource, stateCreating, stateActive, c.now)
	s.store.gateways[g.id] = g
	return http.StatusAccepted, gatewayShowJSON{VPNGateway: s.gatewayJSON(g)}, nil
}

// findGateway returns the gateway of the path or a 404.
func (s *Server) findGateway(id string) (*gateway, error) {
	g, ok := s.store.gateways[id]
	if !ok {
		return nil, errorf(http.StatusNotFound, codeNotFound, "VPN gateway %q not found", id)
	}
	return g, nil
}

// getGateway serves GET /v1/vpn-gateways/{id}.
func (s *Server) getGateway(c *call) (int, any, error) {
	g, err := s.findGateway(c.id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, gatewayShowJSON{VPNGateway: s.gatewayJSON(g)}, nil
}

// setGateway serves PUT /v1/vpn-gateways/{id}. Unlike the tunnel's, the
// service answers 200 here.
func (s *Server) setGateway(c *call) (int, any, error) {
	o, err := decodeBody(c)
	if err != nil {
		return 0, nil, err
	}
	desc, hasDesc := o.description()
	if err := o.errs.err(); err != nil {
		return 0, nil, err
	}
	g, err := s.findGateway(c.id)
	if err != nil {
		return 0, nil, err
	}
	if g.state != stateActive {
		return 0, nil, errorf(http.StatusConflict, codeConflict,
			"VPN gateway %q is %s; it can be modified only when ACTIVE", g.id, g.state)
	}
	if hasDesc {
		g.description = desc
	}
	g.modifiedAt, g.modifiedBy = c.now, s.userID
	s.begin(&g.resource, stateEditing, stateActive, c.now)
	return http.StatusOK, gatewayShowJSON{VPNGateway: s.gatewayJSON(g)}, nil
}

// deleteGateway serves DELETE /v1/vpn-gateways/{id}.
func (s *Server) deleteGateway(c *call) (int, any, error) {
	g, err := s.findGateway(c.id)
	if err != nil {
		return 0, nil, err
	}
	if !deletable(g.state) {
		return 0, nil, errorf(http.StatusConflict, codeConflict,
			"VPN gateway %q is %s; it can be deleted only when ACTIVE or ERROR", g.id, g.state)
	}
	if n := s.store.liveTunnels(g.id); n > 0 {
		return 0, nil, errorf(http.StatusConflict, codeConflict,
			"VPN gateway %q still has %d VPN tunnel(s); delete them first", g.id, n)
	}
	s.begin(&g.resource, stateDeleting, "", c.now)
	return http.StatusAccepted, nil, nil
}

// deletable reports whether a resource in state can be deleted: not while
// a change is under way, nor twice.
func deletable(state string) bool {
	return state == stateActive || state == stateError
}

// listGateways serves GET /v1/vpn-gateways.
func (s *Server) listGateways(c *call) (int, any, error) {
	q, err := parseListQuery(c, gatewaySortFields)
	if err != nil {
		return 0, nil, err
	}
	var matched []*gateway
	for _, g := range s.store.gateways {
		if q.contains("name", g.name) && q.equals("ip_address", g.ipAddress) &&
			q.equals("vpc_id", g.vpcID) && q.contains("vpc_name", g.vpcName) {
			matched = append(matched, g)
		}
	}
	sortResources(matched, q.sorts)
	items := []gatewayJSON{}
	for _, g := range page(matched, q.page, q.size) {
		items = append(items, s.gatewayJSON(g))
	}
	return http.StatusOK, q.answer("vpn_gateways", len(matched), items), nil
}
