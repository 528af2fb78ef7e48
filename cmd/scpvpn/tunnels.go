package main

// This file holds the tunnels commands: the kinds of VPN tunnels of the
// two API versions (one remote subnet in 1.0, several in 1.1), their
// filters and table, quota and check-subnet.

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scpsdk/scpvpn"
)

const tunnelCreateHelp = `Create a VPN tunnel from a request in the API's field names, read from a
JSON file (-f FILE, or -f - for standard input). A field the request does not
have is refused. With --wait, wait until the tunnel is ACTIVE and show it.

A request of version 1.1 of the API (version 1.0 takes one "remote_subnet"
in place of "remote_subnets"):

  {
    "name": "tn1",
    "vpn_gateway_id": "GATEWAY_ID",
    "phase1": {
      "ike_version": 2,
      "peer_gateway_ip": "203.0.113.7",
      "pre_shared_key": "a secret of 8 to 64 characters",
      "dpd_retry_interval": 60,
      "phase1_diffie_hellman_groups": [14],
      "phase1_encryptions": ["aes256-sha256"],
      "phase1_life_time": 86400
    },
    "phase2": {
      "remote_subnets": ["10.1.0.0/16"],
      "perfect_forward_secrecy": "ENABLE",
      "phase2_diffie_hellman_groups": [14],
      "phase2_encryptions": ["aes256-sha256"],
      "phase2_life_time": 43200
    }
  }

The pre-shared key is sent, never printed; the API never returns it.`

const tunnelSetHelp = `Change a VPN tunnel: with --description, or from a JSON file in the API's
field names (-f FILE, or -f - for standard input) holding what changes, such
as {"phase2": {"remote_subnets": ["10.1.0.0/16", "10.2.0.0/16"]}} (version
1.0: "remote_subnet"). --description wins over the file. The tunnel is
EDITING until the change is applied; --wait waits until it is ACTIVE.`

func (a *app) tunnelsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tunnels",
		Aliases: []string{"tunnel", "tn"},
		Short:   "Manage VPN tunnels",
		Long:    "Manage VPN tunnels: IPsec connections from a VPN gateway to remote subnets.",
		RunE:    groupRunE,
	}
	g := &group{
		noun: "VPN tunnel", plural: "VPN tunnels",
		pick: func() (resource, error) {
			c, err := a.connect()
			if err != nil {
				return nil, err
			}
			if a.v1Dot0() {
				return a.tunnelKindV1Dot0(c), nil
			}
			return a.tunnelKindV1Dot1(c), nil
		},
		filters: func(fs *pflag.FlagSet, f *listFlags) {
			fs.StringVar(&f.gatewayID, "vpn-gateway-id", "", "keep the tunnels of this gateway")
			fs.StringVar(&f.gatewayName, "vpn-gateway-name", "", "keep the tunnels of gateways with this name")
			fs.StringVar(&f.peerGatewayIP, "peer-gateway-ip", "", "keep the tunnels to this remote gateway (--api-version 1.0)")
			fs.StringVar(&f.remoteSubnet, "remote-subnet", "", "keep the tunnels to this remote subnet (--api-version 1.0)")
		},
		check: func(f *listFlags) error {
			if !a.v1Dot0() && (f.peerGatewayIP != "" || f.remoteSubnet != "") {
				return errors.New("--peer-gateway-ip and --remote-subnet filter only with --api-version 1.0: version 1.1 has no such filters")
			}
			return nil
		},
		createHelp: tunnelCreateHelp,
		setHelp:    tunnelSetHelp,
	}
	cmd.AddCommand(a.resourceCommands(g)...)
	cmd.AddCommand(a.tunnelQuotaCommand(), a.checkSubnetCommand())
	return cmd
}

// tunnelKindV1Dot1 is the kind of VPN tunnels of version 1.1.
func (a *app) tunnelKindV1Dot1(c *scpvpn.Client) resource {
	k := newKind(a, "VPN tunnel", c.V1Dot1.Tunnels,
		func(f *listFlags) *scpvpn.TunnelListOptionsV1Dot1 {
			return &scpvpn.TunnelListOptionsV1Dot1{Page: f.page, Size: f.size, Sort: f.sort, Name: f.name,
				VPNGatewayID: f.gatewayID, VPNGatewayName: f.gatewayName}
		},
		func(l *scpvpn.TunnelListV1Dot1) []scpvpn.TunnelV1Dot1 { return l.Tunnels })
	k.request = " of API version 1.1"
	k.id = func(t *scpvpn.TunnelV1Dot1) string { return t.ID }
	k.name = func(t *scpvpn.TunnelV1Dot1) string { return t.Name }
	k.describe = func(r *scpvpn.TunnelSetRequestV1Dot1, d *string) { r.Description = d }
	k.columns = tunnelColumns(func(t *scpvpn.TunnelV1Dot1) tunnelRow {
		return tunnelRow{t.ID, t.Name, t.State, t.Status, t.VPNGatewayID, t.Phase1.PeerGatewayIP, strings.Join(t.Phase2.RemoteSubnets, ",")}
	})
	return k
}

// tunnelKindV1Dot0 is the kind of VPN tunnels of version 1.0.
func (a *app) tunnelKindV1Dot0(c *scpvpn.Client) resource {
	k := newKind(a, "VPN tunnel", c.V1Dot0.Tunnels,
		func(f *listFlags) *scpvpn.TunnelListOptions {
			return &scpvpn.TunnelListOptions{Page: f.page, Size: f.size, Sort: f.sort, Name: f.name,
				VPNGatewayID: f.gatewayID, VPNGatewayName: f.gatewayName,
				PeerGatewayIP: f.peerGatewayIP, RemoteSubnet: f.remoteSubnet}
		},
		func(l *scpvpn.TunnelList) []scpvpn.Tunnel { return l.Tunnels })
	k.request = " of API version 1.0"
	k.id = func(t *scpvpn.Tunnel) string { return t.ID }
	k.name = func(t *scpvpn.Tunnel) string { return t.Name }
	k.describe = func(r *scpvpn.TunnelSetRequest, d *string) { r.Description = d }
	k.columns = tunnelColumns(func(t *scpvpn.Tunnel) tunnelRow {
		return tunnelRow{t.ID, t.Name, t.State, t.Status, t.VPNGatewayID, t.Phase1.PeerGatewayIP, t.Phase2.RemoteSubnet}
	})
	return k
}

// tunnelRow is what the table shows of a tunnel of either version.
type tunnelRow struct {
	id, name      string
	state         scpvpn.State
	status        scpvpn.TunnelStatus
	gatewayID     string
	peer, subnets string
}

// tunnelColumns is the table of tunnels whose rows row gives.
func tunnelColumns[T any](row func(*T) tunnelRow) []column[T] {
	return []column[T]{
		{"ID", func(t *T) string { return row(t).id }},
		{"NAME", func(t *T) string { return row(t).name }},
		{"STATE", func(t *T) string { return string(row(t).state) }},
		{"STATUS", func(t *T) string { return string(row(t).status) }},
		{"GATEWAY ID", func(t *T) string { return row(t).gatewayID }},
		{"PEER IP", func(t *T) string { return row(t).peer }},
		{"REMOTE SUBNETS", func(t *T) string { return row(t).subnets }},
	}
}

// tunnelChecks are the calls of both tunnel services that do not depend
// on the version's types.
type tunnelChecks interface {
	Quota(context.Context, *scpvpn.TunnelQuotaOptions, ...scpvpn.CallOption) (*scpvpn.TunnelQuota, error)
	CheckSubnet(ctx context.Context, gatewayID, remoteSubnet string, o ...scpvpn.CallOption) (*scpvpn.SubnetAvailability, error)
}

// tunnels returns the tunnel service of the chosen API version.
func (a *app) tunnels(c *scpvpn.Client) tunnelChecks {
	if a.v1Dot0() {
		return c.V1Dot0.Tunnels
	}
	return c.V1Dot1.Tunnels
}

func (a *app) tunnelQuotaCommand() *cobra.Command {
	var gatewayID string
	cmd := &cobra.Command{
		Use:   "quota",
		Short: "Show how many VPN tunnels may exist, and how many do",
		Long: "Show how many VPN tunnels may exist and how many do: with --vpn-gateway-id for that gateway, " +
			"otherwise for the account. The exit status is 3 when there is no such gateway.",
		Args: cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			return show(a, cmd, func(ctx context.Context, c *scpvpn.Client) (*scpvpn.TunnelQuota, error) {
				return a.tunnels(c).Quota(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: gatewayID})
			}, quotaColumns(func(q *scpvpn.TunnelQuota) (int, int) { return q.Max, q.Used }))
		}),
	}
	cmd.Flags().StringVar(&gatewayID, "vpn-gateway-id", "", "the gateway whose quota to show")
	a.completeGatewayFlag(cmd, "vpn-gateway-id")
	return cmd
}

func (a *app) checkSubnetCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "check-subnet GATEWAY_ID CIDR",
		Short: "Tell whether a new tunnel of a gateway may reach a remote subnet",
		Long: `Tell whether a new tunnel of the gateway may reach the remote subnet CIDR:
AVAILABLE; DUPLICATE when a tunnel of the gateway already reaches it or an
overlapping subnet; INVALID when it is not a subnet the service accepts. The
exit status is 0 for every answer (read it with -o json | jq -r .availability)
and 3 when there is no such gateway.`,
		Args:              exactArgs("GATEWAY_ID", "CIDR"),
		ValidArgsFunction: a.completeGatewayIDs,
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return show(a, cmd, func(ctx context.Context, c *scpvpn.Client) (*scpvpn.SubnetAvailability, error) {
				return a.tunnels(c).CheckSubnet(ctx, args[0], args[1])
			}, availabilityColumns)
		}),
	}
}

var availabilityColumns = []column[scpvpn.SubnetAvailability]{
	{"VPN GATEWAY ID", func(s *scpvpn.SubnetAvailability) string { return s.VPNGatewayID }},
	{"REMOTE SUBNET", func(s *scpvpn.SubnetAvailability) string { return s.RemoteSubnet }},
	{"AVAILABILITY", func(s *scpvpn.SubnetAvailability) string { return string(s.Availability) }},
}
