// Command gateways lists, creates and deletes VPN gateways with the scpvpn
// SDK, using version 1.1 of the API.
//
//	go run ./examples/gateways list
//	go run ./examples/gateways create -name gw1 -vpc-id VPC -ip-id IP -ip-address 123.0.0.1
//	go run ./examples/gateways delete -id GATEWAY_ID
//
// It reads credentials and the endpoint from SCP_ACCESS_KEY, SCP_SECRET_KEY
// and SCP_VPN_ENDPOINT (or SCP_REGION and SCP_ENVIRONMENT). Creating a
// gateway is billed by SCP.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/scpsdk/scpvpn"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gateways:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: gateways list | create -name N -vpc-id V -ip-id I -ip-address A | delete -id ID")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c, err := scpvpn.NewClientFromEnv()
	if err != nil {
		return err
	}
	gateways := c.V1Dot1.Gateways

	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	switch args[0] {
	case "list":
		name := flags.String("name", "", "only gateways with this name")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		for gw, err := range gateways.All(ctx, &scpvpn.GatewayListOptions{Name: *name, Sort: "created_at:desc"}) {
			if err != nil {
				return err
			}
			fmt.Printf("%s\t%s\t%s\t%s\t%s\n", gw.ID, gw.Name, gw.State, gw.IPAddress, gw.VPCName)
		}
	case "create":
		req := &scpvpn.GatewayCreateRequest{IPType: scpvpn.IPTypePublic}
		flags.StringVar(&req.Name, "name", "", "gateway name, 1 to 20 ASCII letters and digits")
		flags.StringVar(&req.VPCID, "vpc-id", "", "VPC to attach the gateway to")
		flags.StringVar(&req.IPID, "ip-id", "", "id of the public IP")
		flags.StringVar(&req.IPAddress, "ip-address", "", "the public IP address")
		flags.StringVar(&req.Description, "description", "", "optional description")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		gw, err := gateways.Create(ctx, req)
		if err != nil {
			return err
		}
		fmt.Printf("created %s (%s); waiting until it is ACTIVE\n", gw.ID, gw.State)
		waitCtx, cancel := context.WithTimeout(ctx, 30*time.Minute)
		defer cancel()
		if gw, err = gateways.WaitUntilActive(waitCtx, gw.ID); err != nil {
			return err
		}
		fmt.Printf("%s is %s\n", gw.ID, gw.State)
	case "delete":
		id := flags.String("id", "", "gateway id")
		if err := flags.Parse(args[1:]); err != nil {
			return err
		}
		if err := gateways.Delete(ctx, *id); err != nil {
			if errors.Is(err, scpvpn.ErrConflict) {
				return fmt.Errorf("%w (delete its tunnels first, and wait until it is ACTIVE)", err)
			}
			return err
		}
		if err := gateways.WaitUntilDeleted(ctx, *id); err != nil {
			return err
		}
		fmt.Printf("deleted %s\n", *id)
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
	return nil
}
