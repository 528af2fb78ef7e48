package vpntest

// This file holds the JSON shapes the API answers and how resources are
// rendered in them.

import "time"

// The JSON shapes the API answers. Field order follows the API reference
// (alphabetical), and so does the encoding.

type gatewayJSON struct {
	AccountID   string  `json:"account_id"`
	CreatedAt   string  `json:"created_at"`
	CreatedBy   string  `json:"created_by"`
	Description *string `json:"description"`
	ID          string  `json:"id"`
	IPAddress   string  `json:"ip_address"`
	IPID        string  `json:"ip_id"`
	IPType      string  `json:"ip_type"`
	ModifiedAt  string  `json:"modified_at"`
	ModifiedBy  string  `json:"modified_by"`
	Name        string  `json:"name"`
	State       string  `json:"state"`
	VPCID       string  `json:"vpc_id"`
	VPCName     string  `json:"vpc_name"`
}

type gatewayShowJSON struct {
	VPNGateway gatewayJSON `json:"vpn_gateway"`
}

type tunnelJSON struct {
	AccountID           string     `json:"account_id"`
	CreatedAt           string     `json:"created_at"`
	CreatedBy           string     `json:"created_by"`
	Description         *string    `json:"description"`
	ID                  string     `json:"id"`
	ModifiedAt          string     `json:"modified_at"`
	ModifiedBy          string     `json:"modified_by"`
	Name                string     `json:"name"`
	Phase1              phase1JSON `json:"phase1"`
	Phase2              phase2JSON `json:"phase2"`
	State               string     `json:"state"`
	Status              string     `json:"status,omitempty"` // only in Show
	VPCID               string     `json:"vpc_id"`
	VPCName             string     `json:"vpc_name"`
	VPNGatewayID        string     `json:"vpn_gateway_id"`
	VPNGatewayIPAddress string     `json:"vpn_gateway_ip_address"`
	VPNGatewayName      string     `json:"vpn_gateway_name"`
}

// phase1JSON and phase2JSON serve every view: the lists and the groups are
// never empty on a tunnel, so omitempty drops them exactly from the list
// view, and keeps the remote subnet field of the version asked for.
type phase1JSON struct {
	DiffieHellmanGroups []int    `json:"diffie_hellman_groups,omitempty"`
	DPDRetryInterval    int      `json:"dpd_retry_interval"`
	Encryptions         []string `json:"encryptions,omitempty"`
	IKEVersion          int      `json:"ike_version"`
	LifeTime            int      `json:"life_time"`
	PeerGatewayIP       string   `json:"peer_gateway_ip"`
}

type phase2JSON struct {
	DiffieHellmanGroups   []int    `json:"diffie_hellman_groups,omitempty"`
	Encryptions           []string `json:"encryptions,omitempty"`
	LifeTime              int      `json:"life_time"`
	PerfectForwardSecrecy string   `json:"perfect_forward_secrecy"`
	RemoteSubnet          string   `json:"remote_subnet,omitempty"`
	RemoteSubnets         []string `json:"remote_subnets,omitempty"`
}

type tunnelShowJSON struct {
	VPNTunnel tunnelJSON `json:"vpn_tunnel"`
}

// formatTime renders a time as the API does: RFC 3339, UTC, seconds.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

func (s *Server) gatewayJSON(g *gateway) gatewayJSON {
	return gatewayJSON{
		AccountID:   s.opts.AccountID,
		CreatedAt:   formatTime(g.createdAt),
		CreatedBy:   g.createdBy,
		Description: g.description,
		ID:          g.id,
		IPAddress:   g.ipAddress,
		IPID:        g.ipID,
		IPType:      g.ipType,
		ModifiedAt:  formatTime(g.modifiedAt),
		ModifiedBy:  g.modifiedBy,
		Name:        g.name,
		State:       g.state,
		VPCID:       g.vpcID,
		VPCName:     g.vpcName,
	}
}

// tunnelView selects what a tunnel's JSON carries.
type tunnelView int

const (
	viewDetail tunnelView = iota // create and set: full phases
	viewShow                     // show: full phases and status
	viewList                     // list: lighter phases
)

func (s *Server) tunnelJSON(t *tunnel, v apiVersion, view tunnelView) tunnelJSON {
	out := tunnelJSON{
		AccountID:   s.opts.AccountID,
		CreatedAt:   formatTime(t.createdAt),
		CreatedBy:   t.createdBy,
		Description: t.description,
		ID:          t.id,
		ModifiedAt:  formatTime(t.modifiedAt),
		ModifiedBy:  t.modifiedBy,
		Name:        t.name,
		Phase1: phase1JSON{
			DPDRetryInterval: t.phase1.dpdRetryInterval,
			IKEVersion:       t.phase1.ikeVersion,
			LifeTime:         t.phase1.lifeTime,
			PeerGatewayIP:    t.phase1.peerGatewayIP,
		},
		Phase2: phase2JSON{
			LifeTime:              t.phase2.lifeTime,
			PerfectForwardSecrecy: t.phase2.pfs,
		},
		State:               t.state,
		VPCID:               t.vpcID,
		VPCName:             t.vpcName,
		VPNGatewayID:        t.gatewayID,
		VPNGatewayIPAddress: t.gatewayIP,
		VPNGatewayName:      t.gatewayName,
	}
	if v == v1Dot0 {
		if len(t.phase2.remoteSubnets) > 0 {
			out.Phase2.RemoteSubnet = t.phase2.remoteSubnets[0]
		}
	} else {
		out.Phase2.RemoteSubnets = t.phase2.remoteSubnets
	}
	if view != viewList {
		out.Phase1.DiffieHellmanGroups = t.phase1.dhGroups
		out.Phase1.Encryptions = t.phase1.encryptions
		out.Phase2.DiffieHellmanGroups = t.phase2.dhGroups
		out.Phase2.Encryptions = t.phase2.encryptions
	}
	if view == viewShow {
		out.Status = "DOWN"
		if t.state == stateActive {
			out.Status = "UP"
		}
	}
	return out
}
