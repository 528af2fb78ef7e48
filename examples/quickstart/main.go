// Command quickstart walks the whole life cycle of a VPN gateway and tunnel
// with the scpvpn SDK, in version 1.1 of the API: check the gateway quota,
// create a gateway, wait for it, check the tunnel quota and the remote
// subnet, create a tunnel, wait, show its status, list, change a
// description, delete the tunnel and the gateway, and wait until both are
// gone.
//
//	go run ./examples/quickstart
//
// Without SCP credentials (in the environment or in ~/.scpconf, as
// NewClientFromEnv finds them) it starts vpntest, the SDK's fake of the
// API, in the process and runs against it. With credentials it runs against
// the real service, which creates billable resources, so it then also needs
// -yes and the ids of a VPC and a public IP:
//
//	go run ./examples/quickstart -yes -vpc-id VPC_ID -ip-id IP_ID -ip-address 123.0.0.1 \
//		-peer-ip 203.0.113.7 -remote-subnet 10.1.0.0/16
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/vpntest"
)

// config is what the flags say.
type config struct {
	yes          bool
	verbose      bool
	timeout      time.Duration
	vpcID        string
	ipID         string
	ipAddress    string
	peerIP       string
	remoteSubnet string
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.yes, "yes", false, "run against the real service, creating billable resources")
	flag.BoolVar(&cfg.verbose, "v", false, "log every HTTP attempt")
	flag.DurationVar(&cfg.timeout, "timeout", 45*time.Minute, "give up after this long")
	flag.StringVar(&cfg.vpcID, "vpc-id", "", "VPC for the gateway (real service)")
	flag.StringVar(&cfg.ipID, "ip-id", "", "id of the gateway's public IP (real service)")
	flag.StringVar(&cfg.ipAddress, "ip-address", "", "the gateway's public IP address (real service)")
	flag.StringVar(&cfg.peerIP, "peer-ip", "203.0.113.7", "IP address of the remote gateway")
	flag.StringVar(&cfg.remoteSubnet, "remote-subnet", "10.1.0.0/16", "remote subnet of the tunnel")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart failed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer, cfg config) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	opts := []scpvpn.Option{scpvpn.WithUserAgent("scpvpn-quickstart")}
	if cfg.verbose {
		opts = append(opts, scpvpn.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}

	// Configured as SCP's own tools are: variables, or ~/.scpconf.
	c, err := scpvpn.NewClientFromEnv(opts...)
	switch {
	case errors.Is(err, scpvpn.ErrNoCredentials):
		srv := vpntest.NewServer(vpntest.Options{TransitionDelay: 300 * time.Millisecond})
		defer srv.Close()
		fmt.Fprintf(out, "No SCP credentials configured (%s, %s or ~/.scpconf/credentials.json): using the built-in fake of the API at %s\n",
			scpvpn.EnvAccessKey, scpvpn.EnvSecretKey, srv.URL)
		c, err = scpvpn.NewClient(append(opts,
			scpvpn.WithEndpoint(srv.URL),
			scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
			// The fake moves in fractions of a second; the real service in minutes.
			scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: 100 * time.Millisecond, MaxDelay: 500 * time.Millisecond}),
		)...)
		if err != nil {
			return err
		}
		cfg.vpcID, cfg.ipID, cfg.ipAddress = "ceb44ea5ecb34a49b16495f9a63b0718", "fcde872f75c145a0893d656cc698f13e", "123.0.0.1"
	case err != nil:
		return err
	case !cfg.yes:
		return errors.New("SCP credentials are configured, so this would create billable resources on the real service; run again with -yes to go ahead")
	case cfg.vpcID == "" || cfg.ipID == "" || cfg.ipAddress == "":
		return errors.New("the real service needs -vpc-id, -ip-id and -ip-address")
	default:
		fmt.Fprintf(out, "Using the real service at %s\n", c.Endpoint())
	}
	return lifeCycle(ctx, out, c, cfg)
}

// lifeCycle runs every step, and on failure removes what it created.
func lifeCycle(ctx context.Context, out io.Writer, c *scpvpn.Client, cfg config) (err error) {
	gateways, tunnels := c.V1Dot1.Gateways, c.V1Dot1.Tunnels
	step := func(format string, args ...any) { fmt.Fprintf(out, "• "+format+"\n", args...) }
	suffix := randomString(6)

	var gatewayID, tunnelID string
	defer func() {
		if err != nil && (gatewayID != "" || tunnelID != "") {
			cleanUp(out, c, gatewayID, tunnelID)
		}
	}()

	gq, err := gateways.Quota(ctx, &scpvpn.GatewayQuotaOptions{VPCID: cfg.vpcID})
	if err != nil {
		return fmt.Errorf("gateway quota: %w", err)
	}
	step("gateway quota: %d of %d used", gq.Used, gq.Max)
	if gq.Used >= gq.Max {
		return fmt.Errorf("no gateway can be created: the quota of %d is used", gq.Max)
	}

	var resp scpvpn.Response
	gw, err := gateways.Create(ctx, &scpvpn.GatewayCreateRequest{
		Name:        "quickstart" + suffix,
		Description: "created by the scpvpn quickstart",
		VPCID:       cfg.vpcID,
		IPID:        cfg.ipID,
		IPAddress:   cfg.ipAddress,
		IPType:      scpvpn.IPTypePublic,
	}, scpvpn.WithResponse(&resp))
	if err != nil {
		return fmt.Errorf("create gateway: %w", err)
	}
	gatewayID = gw.ID
	step("created gateway %s (%s), state %s, request id %s", gw.Name, gw.ID, gw.State, resp.RequestID)

	if gw, err = gateways.WaitUntilActive(ctx, gw.ID); err != nil {
		return fmt.Errorf("wait for gateway: %w", err)
	}
	step("gateway %s is %s, public IP %s, VPC %s", gw.ID, gw.State, gw.IPAddress, gw.VPCName)

	tq, err := tunnels.Quota(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: gw.ID})
	if err != nil {
		return fmt.Errorf("tunnel quota: %w", err)
	}
	step("tunnel quota of the gateway: %d of %d used", tq.Used, tq.Max)
	avail, err := tunnels.CheckSubnet(ctx, gw.ID, cfg.remoteSubnet)
	if err != nil {
		return fmt.Errorf("check subnet: %w", err)
	}
	step("remote subnet %s is %s", avail.RemoteSubnet, avail.Availability)
	if avail.Availability != scpvpn.SubnetAvailable {
		return fmt.Errorf("remote subnet %s cannot be used: %s", cfg.remoteSubnet, avail.Availability)
	}

	tn, err := tunnels.Create(ctx, &scpvpn.TunnelCreateRequestV1Dot1{
		Name:         "tunnel" + suffix,
		VPNGatewayID: gw.ID,
		Phase1: scpvpn.TunnelPhase1CreateRequest{
			IKEVersion:          2,
			DPDRetryInterval:    60,
			PeerGatewayIP:       cfg.peerIP,
			DiffieHellmanGroups: []int{14, 19},
			Encryptions:         []string{"aes256-sha256"},
			LifeTime:            86400,
			PreSharedKey:        scpvpn.Secret(randomString(32)),
		},
		Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
			PerfectForwardSecrecy: scpvpn.PFSEnable,
			DiffieHellmanGroups:   []int{14},
			Encryptions:           []string{"aes256gcm"},
			LifeTime:              43200,
			RemoteSubnets:         []string{cfg.remoteSubnet},
		},
	})
	if err != nil {
		return fmt.Errorf("create tunnel: %w", err)
	}
	tunnelID = tn.ID
	step("created tunnel %s (%s), state %s", tn.Name, tn.ID, tn.State)

	if _, err = tunnels.WaitUntilActive(ctx, tn.ID); err != nil {
		return fmt.Errorf("wait for tunnel: %w", err)
	}
	if tn, err = tunnels.Get(ctx, tn.ID); err != nil {
		return fmt.Errorf("show tunnel: %w", err)
	}
	step("tunnel %s is %s, status %s: %s -> %s", tn.ID, tn.State, tn.Status, tn.Phase1.PeerGatewayIP, strings.Join(tn.Phase2.RemoteSubnets, ", "))

	n := 0
	for t, err := range tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: gw.ID}) {
		if err != nil {
			return fmt.Errorf("list tunnels: %w", err)
		}
		n++
		step("listed tunnel %s (%s) of gateway %s", t.Name, t.State, t.VPNGatewayName)
	}
	if n != 1 {
		return fmt.Errorf("list tunnels: found %d tunnels on the new gateway, want 1", n)
	}

	description := "changed by the scpvpn quickstart"
	if tn, err = tunnels.Set(ctx, tn.ID, &scpvpn.TunnelSetRequestV1Dot1{Description: &description}); err != nil {
		return fmt.Errorf("set tunnel: %w", err)
	}
	step("set the tunnel's description, state %s", tn.State)
	if tn, err = tunnels.WaitUntilActive(ctx, tn.ID); err != nil {
		return fmt.Errorf("wait for tunnel: %w", err)
	}
	step("tunnel description is now %q", tn.Description)

	if err = tunnels.Delete(ctx, tn.ID); err != nil {
		return fmt.Errorf("delete tunnel: %w", err)
	}
	step("deleting tunnel %s", tn.ID)
	if err = tunnels.WaitUntilDeleted(ctx, tn.ID); err != nil {
		return fmt.Errorf("wait for tunnel deletion: %w", err)
	}
	tunnelID = ""
	step("tunnel %s is gone", tn.ID)

	if err = gateways.Delete(ctx, gw.ID); err != nil {
		return fmt.Errorf("delete gateway: %w", err)
	}
	step("deleting gateway %s", gw.ID)
	if err = gateways.WaitUntilDeleted(ctx, gw.ID); err != nil {
		return fmt.Errorf("wait for gateway deletion: %w", err)
	}
	gatewayID = ""
	step("gateway %s is gone", gw.ID)

	fmt.Fprintln(out, "Done: the whole life cycle completed.")
	return nil
}

// cleanUp removes what a failed run left behind, best effort, with a fresh
// context: the run's may be what ended it.
func cleanUp(out io.Writer, c *scpvpn.Client, gatewayID, tunnelID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if tunnelID != "" {
		fmt.Fprintf(out, "cleaning up: deleting tunnel %s\n", tunnelID)
		if err := c.V1Dot1.Tunnels.Delete(ctx, tunnelID); err == nil {
			_ = c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, tunnelID)
		}
	}
	if gatewayID != "" {
		fmt.Fprintf(out, "cleaning up: deleting gateway %s\n", gatewayID)
		if _, err := c.V1Dot1.Gateways.WaitUntilActive(ctx, gatewayID); err == nil {
			if err := c.V1Dot1.Gateways.Delete(ctx, gatewayID); err != nil {
				fmt.Fprintf(out, "cleaning up: %v; delete gateway %s by hand\n", err, gatewayID)
			}
		}
	}
}

// randomString returns n random letters and digits.
func randomString(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
