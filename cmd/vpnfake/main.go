// Command vpnfake runs the in-memory fake of the SCP VPN API of package
// vpntest as a standalone server, to try the SDK or any HTTP client
// against it:
//
//	go run ./cmd/vpnfake -addr 127.0.0.1:8080
//
// It prints where it listens and the credentials it accepts on standard
// output, and nothing else there: four lines of the form
//
//	export SCP_VPN_ENDPOINT='http://127.0.0.1:8080'
//
// for SCP_VPN_ENDPOINT, SCP_AUTH_URL (the IAM catalog it serves, which
// lists the endpoint; NewClientFromEnv takes SCP_VPN_ENDPOINT first),
// SCP_ACCESS_KEY and SCP_SECRET_KEY, the variables scpvpn.NewClientFromEnv
// reads, quoted so that a shell can eval them, written at once. It
// serves until it receives SIGINT or SIGTERM, then closes the server and
// exits with status 0. Messages go to standard error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/scpsdk/scpvpn/vpntest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "vpnfake:", err)
		os.Exit(2)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("vpnfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts vpntest.Options
	fs.StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "`address` to listen on")
	fs.StringVar(&opts.AccessKey, "access-key", "", "access key to accept (random when empty)")
	fs.StringVar(&opts.SecretKey, "secret-key", "", "secret key to accept (random when empty)")
	fs.StringVar(&opts.AccountID, "account-id", "", "account id stamped on resources (random when empty)")
	fs.DurationVar(&opts.TransitionDelay, "delay", vpntest.DefaultTransitionDelay, "how long resources stay CREATING, EDITING or DELETING (negative: immediate)")
	fs.IntVar(&opts.GatewayQuota, "gateway-quota", 3, "VPN gateways allowed")
	fs.IntVar(&opts.TunnelQuota, "tunnel-quota", 5, "VPN tunnels allowed per gateway")
	fs.DurationVar(&opts.MaxClockSkew, "max-clock-skew", 0, "how far Scp-Timestamp may be from the clock (0: 15m)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: vpnfake [flags]\n\nServes a fake of the SCP VPN API until interrupted.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	// A key no header can carry as it is could never sign a request, and
	// a line break would add lines to the four the shell reads.
	for _, v := range [][2]string{{"-access-key", opts.AccessKey}, {"-secret-key", opts.SecretKey}, {"-account-id", opts.AccountID}} {
		if strings.TrimSpace(v[1]) != v[1] || strings.IndexFunc(v[1], func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
			return fmt.Errorf("%s: control characters and surrounding white space cannot be sent in a header", v[0])
		}
	}

	srv, err := vpntest.Start(opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(stderr, "vpnfake: serving the SCP VPN API on %s and its IAM catalog on %s (Ctrl-C to stop)\n", srv.URL, srv.AuthURL)
	// One write: a shell that waits for the lines sees them all at once.
	var exports strings.Builder
	for _, v := range [][2]string{
		{"SCP_VPN_ENDPOINT", srv.URL},
		{"SCP_AUTH_URL", srv.AuthURL},
		{"SCP_ACCESS_KEY", srv.AccessKey},
		{"SCP_SECRET_KEY", srv.SecretKey},
	} {
		fmt.Fprintf(&exports, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	if _, err := io.WriteString(stdout, exports.String()); err != nil {
		return fmt.Errorf("printing the variables: %w", err)
	}

	<-ctx.Done()
	fmt.Fprintln(stderr, "vpnfake: stopping")
	return nil
}

// shellQuote quotes s for a POSIX shell: in single quotes, where a single
// quote of s closes the quoting, is escaped with a backslash, and opens it
// again.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
