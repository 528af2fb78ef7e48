package main

// This file holds what the commands do with a kind of resource, written
// once for gateways and for the tunnels of each API version: kind holds
// the SDK's calls on the kind, and its methods are the commands.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/scpsdk/scpvpn"
)

// resource is a kind of resource as the commands see it, whatever its
// types: each method runs one command and prints its result.
type resource interface {
	runList(ctx context.Context, f *listFlags) error
	runGet(ctx context.Context, id string) error
	runCreate(ctx context.Context, file string, wait bool) error
	runSet(ctx context.Context, id, file string, description *string, wait bool) error
	runDelete(ctx context.Context, ids []string, ask, wait bool) error
	runWait(ctx context.Context, id string, deleted bool) error
	completeIDs(ctx context.Context) []string
}

// kind is one kind of resource in one version of the API: T is the
// resource, C its create request and S its set request, and the functions
// are the SDK's calls on it (the methods of a service).
type kind[T, C, S any] struct {
	a       *app
	noun    string // "VPN gateway"
	request string // " of API version 1.1" for a kind whose requests differ between versions

	create      func(context.Context, *C, ...scpvpn.CallOption) (*T, error)
	get         func(context.Context, string, ...scpvpn.CallOption) (*T, error)
	set         func(context.Context, string, *S, ...scpvpn.CallOption) (*T, error)
	delete      func(context.Context, string, ...scpvpn.CallOption) error
	waitActive  func(context.Context, string, ...scpvpn.CallOption) (*T, error)
	waitDeleted func(context.Context, string, ...scpvpn.CallOption) error
	list        func(context.Context, *listFlags) iter.Seq2[*T, error]

	id       func(*T) string
	name     func(*T) string
	describe func(*S, *string) // sets the description of a set request
	columns  []column[T]
}

// service is what every service of the SDK offers: T is the resource, C
// and S its create and set requests, O its list options and L a page.
type service[T, C, S, O, L any] interface {
	Create(context.Context, *C, ...scpvpn.CallOption) (*T, error)
	Get(context.Context, string, ...scpvpn.CallOption) (*T, error)
	List(context.Context, *O, ...scpvpn.CallOption) (*L, error)
	All(context.Context, *O, ...scpvpn.CallOption) iter.Seq2[*T, error]
	Set(context.Context, string, *S, ...scpvpn.CallOption) (*T, error)
	Delete(context.Context, string, ...scpvpn.CallOption) error
	WaitUntilActive(context.Context, string, ...scpvpn.CallOption) (*T, error)
	WaitUntilDeleted(context.Context, string, ...scpvpn.CallOption) error
}

// newKind returns the kind that svc serves. options makes its list
// options of the list flags, and items returns the resources of a page;
// the caller sets the rest.
func newKind[T, C, S, O, L any](a *app, noun string, svc service[T, C, S, O, L], options func(*listFlags) *O, items func(*L) []T) *kind[T, C, S] {
	return &kind[T, C, S]{
		a: a, noun: noun,
		create: svc.Create, get: svc.Get, set: svc.Set, delete: svc.Delete,
		waitActive: svc.WaitUntilActive, waitDeleted: svc.WaitUntilDeleted,
		list: func(ctx context.Context, f *listFlags) iter.Seq2[*T, error] {
			if !f.onePage {
				return limit(svc.All(ctx, options(f)), f.limit)
			}
			return limit(func(yield func(*T, error) bool) {
				l, err := svc.List(ctx, options(f))
				if err != nil {
					yield(nil, err)
					return
				}
				page := items(l)
				for i := range page {
					if !yield(&page[i], nil) {
						return
					}
				}
			}, f.limit)
		},
	}
}

// limit yields what seq yields, up to n values (every value when n is 0),
// and stops seq there: no page is asked for beyond the one that holds the
// last.
func limit[T any](seq iter.Seq2[*T, error], n int) iter.Seq2[*T, error] {
	if n <= 0 {
		return seq
	}
	return func(yield func(*T, error) bool) {
		left := n
		for v, err := range seq {
			if !yield(v, err) || err != nil {
				return
			}
			if left--; left == 0 {
				return
			}
		}
	}
}

// listFlags are the flags of the list commands: paging, sorting, and the
// filters of every kind, each named after its query parameter.
type listFlags struct {
	all        bool
	onePage    bool // --page or --size without --all
	limit      int
	page, size int
	sort, name string

	vpcID, vpcName, ipAddress string // gateways

	gatewayID, gatewayName      string // tunnels
	peerGatewayIP, remoteSubnet string // tunnels, version 1.0
}

func (k *kind[T, C, S]) runList(ctx context.Context, f *listFlags) error {
	return printAll(k.a.printer(ctx), k.list(ctx, f), k.columns)
}

func (k *kind[T, C, S]) runGet(ctx context.Context, id string) error {
	v, err := k.get(ctx, id)
	if err != nil {
		return err
	}
	return printOne(k.a.printer(ctx), v, k.columns)
}

func (k *kind[T, C, S]) runCreate(ctx context.Context, file string, wait bool) error {
	var req C
	if err := k.a.readRequest(ctx, file, "a "+k.noun+" create request"+k.request, &req); err != nil {
		return err
	}
	var resp scpvpn.Response
	v, err := k.create(ctx, &req, scpvpn.WithResponse(&resp))
	if err != nil {
		return err
	}
	id := k.id(v)
	if resp.Settled {
		k.a.note("the answer to the create was lost; reading back found %s %s, which it made", k.noun, id)
	}
	if wait {
		if v, err = k.untilCreated(ctx, id); err != nil {
			// The id must not be lost: the resource exists. Nor may the
			// status say that it failed, or that nothing was sent: a
			// script that runs the command again makes a second one.
			return &exitError{
				code: exitOutputFailed,
				err:  fmt.Errorf("created %s %s, but waiting for it failed: %w", k.noun, id, k.a.outOfTime(ctx, err)),
				hint: fmt.Sprintf("It was done: check %s %s before running the command again.", k.noun, id),
			}
		}
	}
	return k.printDone(ctx, "created", id, v)
}

func (k *kind[T, C, S]) runSet(ctx context.Context, id, file string, description *string, wait bool) error {
	var req S
	if file != "" {
		if err := k.a.readRequest(ctx, file, "a "+k.noun+" set request"+k.request, &req); err != nil {
			return err
		}
	}
	if description != nil {
		k.describe(&req, description)
	}
	v, err := k.set(ctx, id, &req)
	if err != nil {
		return err
	}
	if wait {
		if v, err = k.untilActive(ctx, id); err != nil {
			return err
		}
	}
	return k.printDone(ctx, "changed", id, v)
}

// printDone prints v, the result of a write that was done (done says
// which: "created", "changed"). Once the write is done, no failure may
// say that it failed or that nothing was sent, and the id of what it did
// must reach the operator: a --jq or --template that fails on v at run
// time, or an output that cannot be written, ends the command with
// status 6, naming the id on standard error.
func (k *kind[T, C, S]) printDone(ctx context.Context, done, id string, v *T) error {
	err := printOne(k.a.printer(ctx), v, k.columns)
	if err == nil {
		return nil
	}
	return &exitError{
		code: exitOutputFailed,
		err:  fmt.Errorf("%s %s %s, but its output failed: %w", done, k.noun, id, k.a.outOfTime(ctx, err)),
		hint: fmt.Sprintf("It was done: check %s %s before running the command again.", k.noun, id),
	}
}

func (k *kind[T, C, S]) runWait(ctx context.Context, id string, deleted bool) error {
	if deleted {
		return k.untilDeleted(ctx, id)
	}
	v, err := k.untilActive(ctx, id)
	if err != nil {
		return err
	}
	return printOne(k.a.printer(ctx), v, k.columns)
}

// untilActive waits for the resource to be ACTIVE.
func (k *kind[T, C, S]) untilActive(ctx context.Context, id string) (*T, error) {
	k.a.note("waiting for %s %s to be %s%s", k.noun, id, scpvpn.StateActive, k.a.bound())
	return k.waitActive(ctx, id)
}

// untilCreated waits for a resource just created to be ACTIVE. Reads lag
// behind the create that answered: a 404 within the grace period after it
// means not yet, not gone.
func (k *kind[T, C, S]) untilCreated(ctx context.Context, id string) (*T, error) {
	created := time.Now()
	k.a.note("waiting for %s %s to be %s%s", k.noun, id, scpvpn.StateActive, k.a.bound())
	pause := k.a.pollInterval
	if pause <= 0 {
		pause = scpvpn.DefaultWaitPolicy().MinDelay
	}
	for {
		v, err := k.waitActive(ctx, id)
		if !errors.Is(err, scpvpn.ErrNotFound) {
			return v, err
		}
		if time.Since(created) >= k.a.notFoundGrace {
			return v, fmt.Errorf("still not found %s after it was created: %w", k.a.notFoundGrace, err)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("waiting for %s %s to be listed: %w", k.noun, id, ctx.Err())
		case <-t.C:
		}
	}
}

// untilDeleted waits for the resource to be gone.
func (k *kind[T, C, S]) untilDeleted(ctx context.Context, id string) error {
	k.a.note("waiting for %s %s to be deleted%s", k.noun, id, k.a.bound())
	if err := k.waitDeleted(ctx, id); err != nil {
		return err
	}
	k.a.note("%s %s deleted", k.noun, id)
	return nil
}

// completeIDs returns the ids of the first resources, each with its name,
// for shell completion; none if the API cannot be reached. Completions go
// to the shell, which shows them: they are cleaned as table cells are.
func (k *kind[T, C, S]) completeIDs(ctx context.Context) []string {
	var ids []string
	for v, err := range k.list(ctx, &listFlags{size: 100}) {
		if err != nil {
			return nil
		}
		ids = append(ids, k.a.scrub.clean(k.id(v))+"\t"+k.a.scrub.clean(k.name(v)))
	}
	return ids
}

// note tells a person at a terminal what is going on, on standard error;
// an output for programs (-o json or yaml, --jq, --template) keeps quiet
// but for errors. An id in args may be the server's:
// the line is made safe for a terminal.
func (a *app) note(format string, args ...any) {
	if !a.quiet() {
		fmt.Fprintln(a.stderr, a.scrub.clean(fmt.Sprintf("scpvpn: "+format, args...)))
	}
}
