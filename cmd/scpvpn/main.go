// Command scpvpn calls the VPN API of Samsung Cloud Platform from a shell:
// VPN gateways and the IPsec tunnels that start from them, for scripts, CI
// jobs and operators at a terminal. It is built on the Go SDK
// github.com/scpsdk/scpvpn.
//
//	scpvpn gateways list|get|create|set|delete|wait|quota
//	scpvpn tunnels  list|get|create|set|delete|wait|quota|check-subnet
//
// A session:
//
//	scpvpn gateways create -f gateway.json --wait
//	scpvpn tunnels create -f tunnel.json --wait
//	scpvpn tunnels list --vpn-gateway-id "$GW" --jq '.[].name'
//	scpvpn gateways delete "$GW" --wait
//
// create and set read the request from a JSON file (-f FILE, or -f - for
// standard input) in the API's field names; a field the request does not
// have is refused. list walks every page (--limit N stops after N; --page
// and --size show one page). -o json prints the API's JSON and nothing
// else on standard output: an object for one resource, an array for a
// list, streamed page after page; characters that would act on a terminal
// (C1 controls, bidirectional overrides) are \u escapes. --jq and
// --template shape that same JSON, -o yaml prints it as YAML, and -o
// table, the default, prints aligned columns (--no-header without their
// headings). delete takes several ids, and at a terminal asks before
// deleting unless --yes. --api-version 1.0 calls the deprecated version
// 1.0 of the API.
//
// Configuration is that of scpvpn.NewClientFromEnv: SCP_ACCESS_KEY,
// SCP_SECRET_KEY, SCP_VPN_ENDPOINT (or SCP_AUTH_URL for the IAM catalog,
// or SCP_REGION with SCP_ENVIRONMENT) and the other SCP_* and SCP_TF_*
// variables, then the files config.json and credentials.json in
// SCP_CONFIG_DIR or ~/.scpconf. The flags --endpoint, --auth-url,
// --region, --environment and --config-dir override them.
//
// The exit status is 0 when done, 1 on failure, 2 on a usage error (bad
// flags, arguments, request file or configuration, a request refused
// before sending, a deletion not confirmed: nothing was sent), 3 when the
// gateway or tunnel does not exist, 4 when the key pair is missing,
// refused (401) or not allowed (403), 5 when a write may have been done
// but no answer confirmed it (the SDK's ErrOutcomeUnknown: the resources
// that may be its doing are listed, to check before retrying), and 6 when
// a write was done but what followed failed (--jq or --template failed on
// its answer, or a create's --wait failed: standard error names what was
// done).
// Every command gives up after --timeout (30 minutes unless given; 0 for
// no limit), waits included. Interrupted by SIGINT (Ctrl-C) or SIGTERM,
// the command stops what it does, says so, and dies by that signal, as a
// shell expects. Errors go to standard error with the API's message, code
// and request id. No secret (secret key, token, pre-shared key) is ever
// printed, not even with --debug.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	// SIGINT ignored from the start (a background job of a shell) still
	// stops the command, but cannot end the process.
	interruptIgnored := signal.Ignored(os.Interrupt)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	caught := make(chan os.Signal, 1)
	go func() {
		select {
		case sig := <-signals:
			caught <- sig
			cancel()
		case <-ctx.Done():
		}
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	cancel()
	signal.Stop(signals)
	select {
	case sig := <-caught:
		if code != exitOK && (sig != os.Interrupt || !interruptIgnored) {
			dieBy(sig)
		}
	default:
	}
	os.Exit(code)
}

// dieBy ends the process by sig, whose default action it restores, once
// the command has stopped and said why: a shell stops a loop that runs the
// command only when the command died by the signal. It returns if it
// cannot.
func dieBy(sig os.Signal) {
	signal.Reset(sig)
	p, err := os.FindProcess(os.Getpid())
	if err != nil || p.Signal(sig) != nil {
		return
	}
	time.Sleep(time.Second) // the signal is delivered asynchronously
}
