package main

// This file holds the commands that gateways and tunnels share: list, get,
// create, set, delete and wait, built once for a group and run on the kind
// of resource the group picks for the API version.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/scpsdk/scpvpn"
)

// group describes gateways or tunnels to the shared commands.
type group struct {
	noun   string // "VPN gateway"
	plural string // "VPN gateways"
	// pick connects and returns the kind of the chosen API version.
	pick func() (resource, error)
	// filters adds the list filters of the group; check refuses those
	// that the chosen API version lacks.
	filters func(*pflag.FlagSet, *listFlags)
	check   func(*listFlags) error
	// createHelp and setHelp describe the request files, with examples.
	createHelp, setHelp string
}

// resourceCommands returns the shared commands of g.
func (a *app) resourceCommands(g *group) []*cobra.Command {
	return []*cobra.Command{
		a.listCommand(g), a.getCommand(g), a.createCommand(g),
		a.setCommand(g), a.deleteCommand(g), a.waitCommand(g),
	}
}

// with runs fn on the group's kind, in the command's context.
func (a *app) with(cmd *cobra.Command, g *group, fn func(context.Context, resource) error) error {
	r, err := g.pick()
	if err != nil {
		return err
	}
	ctx, cancel := a.context(cmd)
	defer cancel()
	return a.outOfTime(ctx, fn(ctx, r))
}

func (a *app) listCommand(g *group) *cobra.Command {
	var f listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List " + g.plural,
		Long: "List every " + g.noun + ", page after page; --limit N stops after N. " +
			"--page or --size shows one page (with --all, every page from --page on, --size at a time).\n\n" +
			"With -o json the list is one JSON array, its elements printed as the pages come.",
		Args: cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if f.limit < 0 {
				return usageError(fmt.Errorf("invalid --limit %d: want a positive number, or 0 for no limit", f.limit))
			}
			if f.page < 0 {
				return usageError(fmt.Errorf("invalid --page %d: want 0 (the first page) or more", f.page))
			}
			if f.size < 0 {
				return usageError(fmt.Errorf("invalid --size %d: want a positive number, or 0 for the API's default", f.size))
			}
			if err := g.check(&f); err != nil {
				return usageError(err)
			}
			fs := cmd.Flags()
			f.onePage = (fs.Changed("page") || fs.Changed("size")) && !f.all
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runList(ctx, &f) })
		}),
	}
	fs := cmd.Flags()
	fs.BoolVar(&f.all, "all", false, "list every page from --page on, --size at a time (the default without --page and --size)")
	fs.IntVar(&f.limit, "limit", 0, "stop after this many "+g.plural+" (0: no limit)")
	fs.IntVar(&f.page, "page", 0, "show this page only, from 0")
	fs.IntVar(&f.size, "size", 0, "items per page (0: the API's default, 20); alone, shows the first page only")
	fs.StringVar(&f.sort, "sort", "", `order, as "field:asc" or "field:desc", such as "created_at:desc"`)
	fs.StringVar(&f.name, "name", "", "keep "+g.plural+" with this name")
	g.filters(fs, &f)
	a.completeGatewayFlag(cmd, "vpn-gateway-id")
	return cmd
}

func (a *app) getCommand(g *group) *cobra.Command {
	return &cobra.Command{
		Use:               "get ID",
		Short:             "Show a " + g.noun,
		Long:              "Show a " + g.noun + ". The exit status is 3 when there is none with that id.",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeIDs(g, false),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runGet(ctx, args[0]) })
		}),
	}
}

func (a *app) createCommand(g *group) *cobra.Command {
	var file string
	var wait bool
	cmd := &cobra.Command{
		Use:   "create -f FILE",
		Short: "Create a " + g.noun,
		Long:  g.createHelp,
		Args:  cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runCreate(ctx, file, wait) })
		}),
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the request, as a JSON `FILE` (- for standard input)")
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the "+g.noun+" is ACTIVE")
	_ = cmd.MarkFlagRequired("file")
	_ = cmd.MarkFlagFilename("file", "json")
	return cmd
}

func (a *app) setCommand(g *group) *cobra.Command {
	var file, description string
	var wait bool
	cmd := &cobra.Command{
		Use:               "set ID [-f FILE] [--description TEXT]",
		Short:             "Change a " + g.noun,
		Long:              g.setHelp,
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeIDs(g, false),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			var desc *string
			if cmd.Flags().Changed("description") {
				desc = &description
			}
			if file == "" && desc == nil {
				return usageError(fmt.Errorf("nothing to set: give -f FILE, --description, or both"))
			}
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runSet(ctx, args[0], file, desc, wait) })
		}),
	}
	cmd.Flags().StringVarP(&file, "file", "f", "", "the changes, as a JSON `FILE` (- for standard input)")
	cmd.Flags().StringVar(&description, "description", "", `the new description, over the file's ("" clears it)`)
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the "+g.noun+" is ACTIVE again")
	_ = cmd.MarkFlagFilename("file", "json")
	return cmd
}

func (a *app) deleteCommand(g *group) *cobra.Command {
	var wait, yes bool
	cmd := &cobra.Command{
		Use:   "delete ID...",
		Short: "Delete " + g.plural,
		Long: "Start deleting each " + g.noun + " named; with --wait, wait until every one is gone. " +
			"At a terminal the command asks first, unless --yes is given; a script (no terminal on standard input) is not asked. " +
			"A failure does not stop the others: each is reported, and the exit status is theirs " +
			"(3 when none of those that failed exists, 1 for mixed failures).",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("wrong number of arguments: want ID..., got 0")
			}
			return checkIDs(g.noun, args)
		},
		ValidArgsFunction: a.completeIDs(g, true),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			ask := mustConfirm(yes, isTerminal(a.stdin))
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runDelete(ctx, distinct(args), ask, wait) })
		}),
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until every "+g.noun+" is gone")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking")
	return cmd
}

// distinct returns ids without repetitions, in their order: an id given
// twice is deleted once.
func distinct(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (a *app) waitCommand(g *group) *cobra.Command {
	var deleted bool
	cmd := &cobra.Command{
		Use:   "wait ID",
		Short: "Wait until a " + g.noun + " is ACTIVE, or gone",
		Long: "Wait until a " + g.noun + " is ACTIVE and show it, or with --deleted until it is gone. " +
			"It fails if the " + g.noun + " reaches ERROR. Bound the wait with --timeout.",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeIDs(g, false),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runWait(ctx, args[0], deleted) })
		}),
	}
	cmd.Flags().BoolVar(&deleted, "deleted", false, "wait until the "+g.noun+" is gone")
	return cmd
}

// show runs a call that reads one value, such as a quota, and prints it.
func show[V any](a *app, cmd *cobra.Command, call func(context.Context, *scpvpn.Client) (*V, error), cols []column[V]) error {
	c, err := a.connect()
	if err != nil {
		return err
	}
	ctx, cancel := a.context(cmd)
	defer cancel()
	v, err := call(ctx, c)
	if err != nil {
		return a.outOfTime(ctx, err)
	}
	return printOne(a.printer(ctx), v, cols)
}

// exactArgs accepts exactly the named positional arguments.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return fmt.Errorf("wrong number of arguments: want %s, got %d", strings.Join(names, " "), len(args))
		}
		return nil
	}
}

// completionTimeout bounds the call that completion makes: a shell waits
// for it.
const completionTimeout = 5 * time.Second

// completeIDs completes the first argument (every argument when many)
// with the ids of the group's resources, asking the API; ids already given
// are left out.
func (a *app) completeIDs(g *group, many bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 && !many || a.checkGlobalFlags() != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.listIDs(cmd, g.pick, args), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeGatewayIDs completes the first argument with the ids of the
// gateways, whatever the group: tunnels check-subnet takes a gateway.
func (a *app) completeGatewayIDs(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 || a.checkGlobalFlags() != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.listIDs(cmd, a.pickGateways, nil), cobra.ShellCompDirectiveNoFileComp
}

// completeGatewayFlag completes the flag of cmd named name, if it has
// one, with the ids of the gateways.
func (a *app) completeGatewayFlag(cmd *cobra.Command, name string) {
	if cmd.Flags().Lookup(name) == nil {
		return
	}
	_ = cmd.RegisterFlagCompletionFunc(name, func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		if a.checkGlobalFlags() != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return a.listIDs(cmd, a.pickGateways, nil), cobra.ShellCompDirectiveNoFileComp
	})
}

// listIDs returns the ids of the first resources of the kind pick gives,
// each with its name, but those in given; none if the API cannot be
// reached.
func (a *app) listIDs(cmd *cobra.Command, pick func() (resource, error), given []string) []string {
	r, err := pick()
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), completionTimeout)
	defer cancel()
	var ids []string
	for _, id := range r.completeIDs(ctx) {
		if !slices.Contains(given, strings.SplitN(id, "\t", 2)[0]) {
			ids = append(ids, id)
		}
	}
	return ids
}
