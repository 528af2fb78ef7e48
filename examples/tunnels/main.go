// Command tunnels lists, creates and deletes VPN tunnels with the scpvpn SDK,
// using version 1.1 of the API.
//
//	go run ./examples/tunnels list -gateway GATEWAY_ID
//	go run ./examples/tunnels create -gateway GATEWAY_ID -name tn1 -peer 203.0.113.7 -subnet 10.1.0.0/16
//	go run ./examples/tunnels delete -id TUNNEL_ID
//
// The pre-shared key is read from SCP_VPN_PSK, so it stays out of the shell
// history. Credentials and the endpoint come from SCP_ACCESS_KEY,
// SCP_SECRET_KEY and SCP_VPN_ENDPOINT (or SCP_REGION and SCP_ENVIRONMENT).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/scpsdk/scpvpn"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tunnels:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: tunnels list [-gateway ID] | create -gateway ID -name N -peer IP -subnet CIDR[,CIDR] | delete -id ID")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c, err := scpvpn.NewClientFromEnv()
	if err != nil {
		return err
	}
	tunnels := c.V1Dot1.Tunnels

	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	switch args[0] {
	case "list":
		gateway := flags.String("gateway", "", "only tunnels of this gateway")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		for tn, err := range tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: *gateway}) {
			if err != nil {
				return err
			}
			fmt.Printf("%s\t%s\t%s\t%s -> %s\n", tn.ID, tn.Name, tn.State, tn.Phase1.PeerGatewayIP, strings.Join(tn.Phase2.RemoteSubnets, ","))
		}
	case "create":
		gateway := flags.String("gateway", "", "gateway id")
		name := flags.String("name", "", "tunnel name, 1 to 20 ASCII letters and digits")
		peer := flags.String("peer", "", "IP address of the remote gateway")
		subnets := flags.String("subnet", "", "remote subnets, comma-separated CIDRs")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		tn, err := tunnels.Create(ctx, &scpvpn.TunnelCreateRequestV1Dot1{
			Name:         *name,
			VPNGatewayID: *gateway,
			Phase1: scpvpn.TunnelPhase1CreateRequest{
				IKEVersion:          2,
				DPDRetryInterval:    60,
				PeerGatewayIP:       *peer,
				DiffieHellmanGroups: []int{14},
				Encryptions:         []string{"aes256-sha256"},
				LifeTime:            86400,
				PreSharedKey:        scpvpn.Secret(os.Getenv("SCP_VPN_PSK")),
			},
			Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
				PerfectForwardSecrecy: scpvpn.PFSEnable,
				DiffieHellmanGroups:   []int{14},
				Encryptions:           []string{"aes256-sha256"},
				LifeTime:              43200,
				RemoteSubnets:         strings.Split(*subnets, ","),
			},
		})
		if err != nil {
			return err
		}
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Minute)
		defer cancel()
		if tn, err = tunnels.WaitUntilActive(waitCtx, tn.ID); err != nil {
			return err
		}
		fmt.Printf("%s is %s\n", tn.ID, tn.State)
	case "delete":
		id := flags.String("id", "", "tunnel id")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		if err := tunnels.Delete(ctx, *id); err != nil {
			return err
		}
		if err := tunnels.WaitUntilDeleted(ctx, *id); err != nil {
			return err
		}
		fmt.Printf("deleted %s\n", *id)
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
	return nil
}
