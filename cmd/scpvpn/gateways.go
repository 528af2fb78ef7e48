package main

// This file holds the gateways commands: the kind of VPN gateways, the
// same in both versions of the API, its filters and table, and quota.

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scpsdk/scpvpn"
)

const gatewayCreateHelp = `Create a VPN gateway from a request in the API's field names, read from a
JSON file (-f FILE, or -f - for standard input). A field the request does not
have is refused. With --wait, wait until the gateway is ACTIVE and show it.

A request:

  {
    "name": "gw1",
    "vpc_id": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "ip_id": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "ip_address": "192.0.2.10",
    "ip_type": "PUBLIC",
    "description": "to the data centre",
    "tags": [{"key": "env", "value": "prod"}]
  }`

const gatewaySetHelp = `Change the description of a VPN gateway: with --description, or from a JSON
file in the API's field names (-f FILE, or -f - for standard input), such as
{"description": "to the data centre"}. --description wins over the file.`

func (a *app) gatewaysCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "gateways",
		Aliases: []string{"gateway", "gw"},
		Short:   "Manage VPN gateways",
		Long:    "Manage VPN gateways: the SCP end of VPN tunnels, attached to a VPC with a public IP address.",
		RunE:    groupRunE,
	}
	g := &group{
		noun: "VPN gateway", plural: "VPN gateways",
		pick: a.pickGateways,
		filters: func(fs *pflag.FlagSet, f *listFlags) {
			fs.StringVar(&f.vpcID, "vpc-id", "", "keep the gateways of this VPC")
			fs.StringVar(&f.vpcName, "vpc-name", "", "keep the gateways of VPCs with this name")
			fs.StringVar(&f.ipAddress, "ip-address", "", "keep the gateway with this IP address")
		},
		check:      func(*listFlags) error { return nil },
		createHelp: gatewayCreateHelp,
		setHelp:    gatewaySetHelp,
	}
	cmd.AddCommand(a.resourceCommands(g)...)
	cmd.AddCommand(a.gatewayQuotaCommand())
	return cmd
}

// pickGateways connects and returns the kind of VPN gateways.
func (a *app) pickGateways() (resource, error) {
	c, err := a.connect()
	if err != nil {
		return nil, err
	}
	return a.gatewayKind(c), nil
}

// gateways returns the gateway service of the chosen API version.
func (a *app) gateways(c *scpvpn.Client) *scpvpn.GatewayService {
	if a.v1Dot0() {
		return c.V1Dot0.Gateways
	}
	return c.V1Dot1.Gateways
}

// gatewayKind is the kind of VPN gateways.
func (a *app) gatewayKind(c *scpvpn.Client) resource {
	k := newKind(a, "VPN gateway", a.gateways(c),
		func(f *listFlags) *scpvpn.GatewayListOptions {
			return &scpvpn.GatewayListOptions{Page: f.page, Size: f.size, Sort: f.sort, Name: f.name,
				IPAddress: f.ipAddress, VPCID: f.vpcID, VPCName: f.vpcName}
		},
		func(l *scpvpn.GatewayList) []scpvpn.Gateway { return l.Gateways })
	k.id = func(g *scpvpn.Gateway) string { return g.ID }
	k.name = func(g *scpvpn.Gateway) string { return g.Name }
	k.describe = func(r *scpvpn.GatewaySetRequest, d *string) { r.Description = d }
	k.columns = gatewayColumns
	return k
}

var gatewayColumns = []column[scpvpn.Gateway]{
	{"ID", func(g *scpvpn.Gateway) string { return g.ID }},
	{"NAME", func(g *scpvpn.Gateway) string { return g.Name }},
	{"STATE", func(g *scpvpn.Gateway) string { return string(g.State) }},
	{"IP ADDRESS", func(g *scpvpn.Gateway) string { return g.IPAddress }},
	{"VPC ID", func(g *scpvpn.Gateway) string { return g.VPCID }},
	{"VPC NAME", func(g *scpvpn.Gateway) string { return g.VPCName }},
	{"DESCRIPTION", func(g *scpvpn.Gateway) string { return g.Description }},
}

func (a *app) gatewayQuotaCommand() *cobra.Command {
	var vpcID string
	cmd := &cobra.Command{
		Use:   "quota",
		Short: "Show how many VPN gateways may exist, and how many do",
		Long:  "Show how many VPN gateways may exist and how many do, in the account or with --vpc-id in a VPC.",
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			return show(a, cmd, func(ctx context.Context, c *scpvpn.Client) (*scpvpn.GatewayQuota, error) {
				return a.gateways(c).Quota(ctx, &scpvpn.GatewayQuotaOptions{VPCID: vpcID})
			}, quotaColumns(func(q *scpvpn.GatewayQuota) (int, int) { return q.Max, q.Used }))
		}),
	}
	cmd.Flags().StringVar(&vpcID, "vpc-id", "", "the VPC whose quota to show")
	return cmd
}

// quotaColumns is the table of a quota.
func quotaColumns[Q any](of func(*Q) (max, used int)) []column[Q] {
	return []column[Q]{
		{"MAX", func(q *Q) string { m, _ := of(q); return strconv.Itoa(m) }},
		{"USED", func(q *Q) string { _, u := of(q); return strconv.Itoa(u) }},
	}
}
