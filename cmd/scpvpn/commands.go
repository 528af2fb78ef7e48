package main

// This file holds the commands that gateways and tunnels share: list, get,
// create, set, delete and wait, built once for a group and run on the kind
// of resource the group picks for the API version.

import (
	"context"
	"fmt"
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
	return fn(ctx, r)
}

func (a *app) listCommand(g *group) *cobra.Command {
	var f listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List " + g.plural,
		Long: "List " + g.plural + ", one page (--page, --size) or with --all every page.\n\n" +
			"With -o json the list is one JSON array; with --all its elements are printed as the pages come.",
		Args: cobra.NoArgs,
		RunE: action(func(cmd *cobra.Command, _ []string) error {
			if err := g.check(&f); err != nil {
				return usageError(err)
			}
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runList(ctx, &f) })
		}),
	}
	fs := cmd.Flags()
	fs.BoolVar(&f.all, "all", false, "list every page, from --page on")
	fs.IntVar(&f.page, "page", 0, "page number, from 0")
	fs.IntVar(&f.size, "size", 0, "items per page (0: the API's default, 20)")
	fs.StringVar(&f.sort, "sort", "", `order, as "field:asc" or "field:desc", such as "created_at:desc"`)
	fs.StringVar(&f.name, "name", "", "keep "+g.plural+" with this name")
	g.filters(fs, &f)
	return cmd
}

func (a *app) getCommand(g *group) *cobra.Command {
	return &cobra.Command{
		Use:               "get ID",
		Short:             "Show a " + g.noun,
		Long:              "Show a " + g.noun + ". The exit status is 3 when there is none with that id.",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeID(g),
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
		ValidArgsFunction: a.completeID(g),
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
	var wait bool
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a " + g.noun,
		Long: "Start deleting a " + g.noun + "; with --wait, wait until it is gone. " +
			"The exit status is 3 when there is none with that id.",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeID(g),
		RunE: action(func(cmd *cobra.Command, args []string) error {
			return a.with(cmd, g, func(ctx context.Context, r resource) error { return r.runDelete(ctx, args[0], wait) })
		}),
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait until the "+g.noun+" is gone")
	return cmd
}

func (a *app) waitCommand(g *group) *cobra.Command {
	var deleted bool
	cmd := &cobra.Command{
		Use:   "wait ID",
		Short: "Wait until a " + g.noun + " is ACTIVE, or gone",
		Long: "Wait until a " + g.noun + " is ACTIVE and show it, or with --deleted until it is gone. " +
			"It fails if the " + g.noun + " reaches ERROR. Bound the wait with --timeout.",
		Args:              exactArgs("ID"),
		ValidArgsFunction: a.completeID(g),
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
		return err
	}
	return printOne(a.printer(), v, cols)
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

// completeID completes the first argument with the ids of the group's
// resources, asking the API.
func (a *app) completeID(g *group) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 || a.checkGlobalFlags() != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var ids []string
		_ = a.with(cmd, g, func(ctx context.Context, r resource) error {
			ctx, cancel := context.WithTimeout(ctx, completionTimeout)
			defer cancel()
			ids = r.completeIDs(ctx)
			return nil
		})
		return ids, cobra.ShellCompDirectiveNoFileComp
	}
}
