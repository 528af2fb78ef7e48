package main

// This file holds the command's root: its global flags, how it builds the
// SDK client from them and the environment, and run, which executes one
// command line and returns its exit status.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/scpsdk/scpvpn"
)

// Output formats.
const (
	formatTable = "table"
	formatJSON  = "json"
)

// API versions, as --api-version takes them.
const (
	version1Dot1 = "1.1"
	version1Dot0 = "1.0"
)

// app is one run of the command: its streams, its global flags, and the
// client it builds from them when a command first needs it.
type app struct {
	stdin  io.Reader
	stdout io.Writer // written through scrub
	stderr io.Writer // a scrubbing writer
	scrub  *scrubber

	apiVersion   string
	output       string
	endpoint     string
	timeout      time.Duration
	debug        bool
	pollInterval time.Duration // hidden: fast waits against a fake

	client *scpvpn.Client
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	scrub := newScrubber(configuredSecrets()...)
	a := &app{stdin: stdin, stdout: stdout, stderr: &scrubWriter{w: stderr, s: scrub}, scrub: scrub}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if a.client != nil {
		a.client.CloseIdleConnections()
	}
	if err == nil {
		return exitOK
	}
	return a.report(cmd, err)
}

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "scpvpn",
		Short: "Manage the VPN gateways and tunnels of Samsung Cloud Platform",
		Long: `scpvpn calls the VPN API of Samsung Cloud Platform: VPN gateways and the
IPsec tunnels that start from them.

create and set read the request from a JSON file in the API's field names
(-f FILE, or -f - for standard input); a field the request does not have is
refused. -o json prints the API's JSON and nothing else on standard output:
an object for one resource, an array for a list. -o table (the default)
prints aligned columns.

Configuration, as SCP's own tools keep it:
  SCP_ACCESS_KEY, SCP_SECRET_KEY   the key pair (or SCP_TF_ACCESS_KEY, ...)
  SCP_VPN_ENDPOINT                 the VPN endpoint; or SCP_AUTH_URL to find it
                                   in the IAM catalog of SCP_DEFAULT_REGION;
                                   or SCP_REGION with SCP_ENVIRONMENT
  SCP_AUTH_TOKEN, SCP_ACCOUNT_ID   optional
  SCP_CONFIG_DIR                   the folder of config.json and credentials.json,
                                   read for what the variables leave out
                                   (~/.scpconf by default)
--endpoint overrides the endpoint.

Exit status: 0 success, 1 failure, 2 usage error (bad flags or arguments,
or a request refused before anything was sent), 3 not found. Interrupted
(Ctrl-C, SIGTERM), the command stops and dies by that signal.`,
		Example: `  scpvpn gateways create -f gateway.json --wait
  scpvpn tunnels create -f tunnel.json --wait
  scpvpn tunnels list --vpn-gateway-id "$GW" -o json | jq -r '.[].name'
  scpvpn gateways delete "$GW" --wait`,
		Version:           scpvpn.Version,
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: func(*cobra.Command, []string) error { return a.checkGlobalFlags() },
		// Runnable, so that its global flags are checked too.
		RunE: groupRunE,
	}
	root.SetVersionTemplate("scpvpn {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })

	f := root.PersistentFlags()
	f.StringVarP(&a.output, "output", "o", formatTable, "output format: table or json")
	f.StringVar(&a.apiVersion, "api-version", version1Dot1, "version of the API: 1.1, or 1.0 (deprecated)")
	f.StringVar(&a.endpoint, "endpoint", "", "URL of the VPN API, over SCP_VPN_ENDPOINT and the configuration files")
	f.DurationVar(&a.timeout, "timeout", 0, "give up after this long, waits included (such as 10m; 0: no limit)")
	f.BoolVar(&a.debug, "debug", false, "log each HTTP attempt, and its bodies without secrets, on standard error")
	f.DurationVar(&a.pollInterval, "poll-interval", 0, "pause between the polls of a wait (0: from 2s up to 30s)")
	_ = f.MarkHidden("poll-interval")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{formatTable, formatJSON}, cobra.ShellCompDirectiveNoFileComp))
	_ = root.RegisterFlagCompletionFunc("api-version", cobra.FixedCompletions([]string{version1Dot1, version1Dot0}, cobra.ShellCompDirectiveNoFileComp))

	root.AddCommand(a.gatewaysCommand(), a.tunnelsCommand())
	return root
}

// groupRunE runs a command that only groups others: help without
// arguments, and a usage error for a subcommand that does not exist
// (cobra would print the help and succeed).
func groupRunE(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError(fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath()))
	}
	return cmd.Help()
}

// checkGlobalFlags refuses global flags the command cannot act on.
func (a *app) checkGlobalFlags() error {
	switch a.output {
	case formatTable, formatJSON:
	default:
		return usageError(fmt.Errorf("invalid --output %q: want table or json", a.output))
	}
	switch a.apiVersion {
	case version1Dot1, version1Dot0:
	default:
		return usageError(fmt.Errorf("invalid --api-version %q: want 1.1 or 1.0", a.apiVersion))
	}
	if a.timeout < 0 {
		return usageError(fmt.Errorf("invalid --timeout %s: want a positive duration, or 0 for no limit", a.timeout))
	}
	return nil
}

// connect returns the client, built on first use: configured as
// NewClientFromEnv is, with --endpoint over it.
func (a *app) connect() (*scpvpn.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	if a.apiVersion == version1Dot0 {
		fmt.Fprintln(a.stderr, "scpvpn: warning: version 1.0 of the VPN API is deprecated by SCP (support was guaranteed until 2025-12-31); use --api-version 1.1")
	}
	opts := []scpvpn.Option{scpvpn.WithUserAgent("scpvpn-cli/" + scpvpn.Version)}
	if a.endpoint != "" {
		opts = append(opts, scpvpn.WithEndpoint(a.endpoint))
	}
	if a.debug {
		logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
	}
	if a.pollInterval > 0 {
		opts = append(opts, scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: a.pollInterval, MaxDelay: a.pollInterval}))
	}
	c, err := scpvpn.NewClientFromEnv(opts...)
	if err != nil {
		return nil, err
	}
	a.client = c
	return c, nil
}

// context returns the context of a command, bounded by --timeout.
func (a *app) context(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	if a.timeout > 0 {
		return context.WithTimeout(cmd.Context(), a.timeout)
	}
	return context.WithCancel(cmd.Context())
}

// v1Dot0 reports whether the command calls version 1.0 of the API.
func (a *app) v1Dot0() bool { return a.apiVersion == version1Dot0 }

// printer returns the printer of the chosen output format.
func (a *app) printer() *printer {
	return &printer{w: a.stdout, json: a.output == formatJSON, scrub: a.scrub}
}
