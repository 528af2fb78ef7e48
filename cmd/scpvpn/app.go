package main

// This file holds the command's root: its global flags, how it builds the
// SDK client from them and the environment, and run, which executes one
// command line and returns its exit status.

import (
	"context"
	"errors"
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
	formatYAML  = "yaml"
)

// API versions, as --api-version takes them.
const (
	version1Dot1 = "1.1"
	version1Dot0 = "1.0"
)

// defaultTimeout bounds a command, waits included, unless --timeout says
// otherwise: a gateway of the real service takes minutes, never half an
// hour, and a script must not hang for ever on one that never settles.
const defaultTimeout = 30 * time.Minute

// defaultNotFoundGrace is how long a resource just created may be
// unknown to the service's reads before a 404 means it is gone: reads lag
// behind the create that answered.
const defaultNotFoundGrace = time.Minute

// app is one run of the command: its streams, its global flags, and the
// client it builds from them when a command first needs it.
type app struct {
	stdin  io.Reader
	stdout io.Writer // written through scrub
	stderr io.Writer // a scrubbing writer
	scrub  *scrubber

	apiVersion    string
	output        string
	jqExpr        string
	template      string
	noHeader      bool
	config        configFlags
	timeout       time.Duration
	debug         bool
	pollInterval  time.Duration // hidden: fast waits against a fake
	notFoundGrace time.Duration // hidden: short graces against a fake

	shape  *shaper // of --jq, --template or -o yaml; nil for json and table
	client *scpvpn.Client
}

// run executes the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	scrub := newScrubber(environmentSecrets()...)
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

// rootHelp is the long help of the command: what it does, its output,
// its configuration and its exit statuses.
const rootHelp = `scpvpn calls the VPN API of Samsung Cloud Platform: VPN gateways and the
IPsec tunnels that start from them.

create and set read the request from a JSON file in the API's field names
(-f FILE, or -f - for standard input); a field the request does not have is
refused. list lists every page (--limit N stops after N; --page and --size
show one page).

Output (-o): table (the default: aligned columns; --no-header drops the
headings), json (the API's JSON and nothing else: an object for one resource,
an array for a list), yaml. --jq EXPR runs a jq expression and --template TPL
a Go template over that same JSON.

Configuration, as SCP's own tools keep it:
  SCP_ACCESS_KEY, SCP_SECRET_KEY   the key pair (or SCP_TF_ACCESS_KEY, ...)
  SCP_VPN_ENDPOINT                 the VPN endpoint (--endpoint); or
  SCP_AUTH_URL                     the IAM catalog that lists it (--auth-url),
                                   in SCP_DEFAULT_REGION (--region); or
  SCP_REGION, SCP_ENVIRONMENT      a region and environment (--region,
                                   --environment), such as kr-west1 and e
  SCP_AUTH_TOKEN, SCP_ACCOUNT_ID   optional
  SCP_CONFIG_DIR                   the folder of config.json and credentials.json,
                                   read for what the variables leave out
                                   (--config-dir; ~/.scpconf by default)
Flags win over variables, and variables over files.

Exit status:
  0  done
  1  failed: the API refused, the network failed, a wait ended in ERROR
     or ran out of --timeout
  2  usage: bad flags, arguments, request file or configuration, a request
     refused before sending, a deletion not confirmed; nothing was sent
  3  not found: the gateway or tunnel does not exist
  4  not authenticated or not allowed: 401, 403, no key pair configured
  5  outcome unknown: a create or change that may have been done (its
     answer was lost); the resources that may be its doing are listed:
     check them before retrying
  6  done, but what followed failed: a create or change was done, then
     --jq or --template failed on its answer, or a create's --wait failed;
     standard error names what was done: do not run it again
Interrupted (Ctrl-C, SIGTERM), the command stops and dies by that signal.`

// rootCommand builds the command tree.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "scpvpn",
		Short: "Manage the VPN gateways and tunnels of Samsung Cloud Platform",
		Long:  rootHelp,
		Example: `  scpvpn gateways create -f gateway.json --wait
  scpvpn tunnels create -f tunnel.json --wait
  scpvpn tunnels list --vpn-gateway-id "$GW" --jq '.[].name'
  scpvpn gateways list --template '{{range .}}{{.id}} {{.state}}{{"\n"}}{{end}}'
  scpvpn gateways delete "$GW1" "$GW2" --yes --wait`,
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
	f.StringVarP(&a.output, "output", "o", formatTable, "output format: table, json or yaml")
	f.StringVar(&a.jqExpr, "jq", "", "print what the jq `EXPR`ession makes of the JSON output (strings as they are)")
	f.StringVar(&a.template, "template", "", "print the JSON output through a Go text/template `TPL`")
	f.BoolVar(&a.noHeader, "no-header", false, "print tables without their headings")
	f.StringVar(&a.apiVersion, "api-version", version1Dot1, "version of the API: 1.1, or 1.0 (deprecated)")
	f.StringVar(&a.config.endpoint, "endpoint", "", "`URL` of the VPN API, over SCP_VPN_ENDPOINT and the configuration files")
	f.StringVar(&a.config.region, "region", "", "the region, such as kr-west1: with --environment, or in the IAM catalog (over SCP_REGION, SCP_DEFAULT_REGION)")
	f.StringVar(&a.config.environment, "environment", "", "the environment of --region, such as e (over SCP_ENVIRONMENT)")
	f.StringVar(&a.config.authURL, "auth-url", "", "`URL` of the IAM catalog that lists the VPN endpoint (over SCP_AUTH_URL)")
	f.StringVar(&a.config.configDir, "config-dir", "", "`folder` of config.json and credentials.json (over SCP_CONFIG_DIR; default ~/.scpconf)")
	f.DurationVar(&a.timeout, "timeout", defaultTimeout, "give up after this long, waits included (0: no limit)")
	f.BoolVar(&a.debug, "debug", false, "log each HTTP attempt, and its bodies without secrets, on standard error")
	f.DurationVar(&a.pollInterval, "poll-interval", 0, "pause between the polls of a wait (0: from 2s up to 30s)")
	f.DurationVar(&a.notFoundGrace, "not-found-grace", defaultNotFoundGrace, "how long a resource just created may be not found")
	_ = f.MarkHidden("poll-interval")
	_ = f.MarkHidden("not-found-grace")
	_ = root.MarkPersistentFlagDirname("config-dir")
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{formatTable, formatJSON, formatYAML}, cobra.ShellCompDirectiveNoFileComp))
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

// checkGlobalFlags refuses global flags the command cannot act on, and
// compiles --jq and --template: a mistake in them is found before
// anything is sent.
func (a *app) checkGlobalFlags() error {
	switch a.output {
	case formatTable, formatJSON, formatYAML:
	default:
		return usageError(fmt.Errorf("invalid --output %q: want table, json or yaml", a.output))
	}
	switch a.apiVersion {
	case version1Dot1, version1Dot0:
	default:
		return usageError(fmt.Errorf("invalid --api-version %q: want 1.1 or 1.0", a.apiVersion))
	}
	if a.timeout < 0 {
		return usageError(fmt.Errorf("invalid --timeout %s: want a positive duration, or 0 for no limit", a.timeout))
	}
	shape, err := a.newShaper()
	if err != nil {
		return usageError(err)
	}
	a.shape = shape
	return nil
}

// connect returns the client, built on first use: configured as
// NewClientFromEnv is, with the configuration flags over it. Its errors
// carry their exit status and speak of flags, variables and files.
func (a *app) connect() (*scpvpn.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	view := readConfigView(a.config.configDir)
	a.scrub.add(view.secrets...)
	for _, w := range view.warnings {
		fmt.Fprintln(a.stderr, a.scrub.clean("scpvpn: warning: "+w))
	}
	if view.problem != nil {
		return nil, &exitError{code: exitUsage, err: view.problem, hint: configHint}
	}
	endpoint, err := a.config.endpointOptions(view)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err, hint: configHint}
	}
	if a.apiVersion == version1Dot0 {
		fmt.Fprintln(a.stderr, "scpvpn: warning: version 1.0 of the VPN API is deprecated by SCP (support was guaranteed until 2025-12-31); use --api-version 1.1")
	}
	opts := append([]scpvpn.Option{scpvpn.WithUserAgent("scpvpn-cli/" + scpvpn.Version)}, endpoint...)
	if a.debug {
		logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, scpvpn.WithLogger(logger), scpvpn.WithBodyLogging())
	}
	if a.pollInterval > 0 {
		opts = append(opts, scpvpn.WithWaitPolicy(scpvpn.WaitPolicy{MinDelay: a.pollInterval, MaxDelay: a.pollInterval}))
	}
	c, err := withConfigDir(a.config.configDir, func() (*scpvpn.Client, error) { return scpvpn.NewClientFromEnv(opts...) })
	if err != nil {
		return nil, configError(err, view)
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

// outOfTime names --timeout in err when the command's own bound ended it:
// the operator learns which flag gives it longer.
func (a *app) outOfTime(ctx context.Context, err error) error {
	var named *outOfTimeError
	if err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) || !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &named) {
		return err
	}
	return &outOfTimeError{err: err, timeout: a.timeout}
}

// outOfTimeError is an error of a command that --timeout ended.
type outOfTimeError struct {
	err     error
	timeout time.Duration
}

func (e *outOfTimeError) Error() string {
	return fmt.Sprintf("%v: gave up after --timeout %s (give a longer --timeout, or --timeout 0 for no limit)", e.err, e.timeout)
}

func (e *outOfTimeError) Unwrap() error { return e.err }

// bound says how long a wait may last, and which flag changes it, for the
// note that starts it.
func (a *app) bound() string {
	if a.timeout <= 0 {
		return ""
	}
	return fmt.Sprintf(" (at most %s: --timeout changes it)", a.timeout)
}

// v1Dot0 reports whether the command calls version 1.0 of the API.
func (a *app) v1Dot0() bool { return a.apiVersion == version1Dot0 }

// printer returns the printer of the chosen output, for a command that
// runs in ctx.
func (a *app) printer(ctx context.Context) *printer {
	return &printer{ctx: ctx, w: a.stdout, format: a.output, shape: a.shape, noHeader: a.noHeader, scrub: a.scrub}
}

// quiet reports whether the output is for a program rather than a
// person: then the command says nothing on standard error but errors.
func (a *app) quiet() bool { return a.output != formatTable || a.shape != nil }
