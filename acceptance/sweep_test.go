package acceptance

// This file holds how a resource is deleted whatever state it is in, and
// the sweeper, which deletes what runs left behind: the gateways named as
// a run names them and the tunnels a run made on them, tunnels before
// gateways, and nothing else.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scpsdk/scpvpn"
)

// sweepFlag asks for a sweep, as SCPVPN_SWEEP=1 does.
var sweepFlag = flag.Bool("sweep", false, "delete the gateways and tunnels that runs of the suite left ("+envSweep+"=1 does the same)")

// A remover deletes one kind of resource, by id, through version 1.1.
type remover struct {
	get         func(ctx context.Context, id string) (scpvpn.State, error)
	delete      func(ctx context.Context, id string) error
	waitActive  func(ctx context.Context, id string) error
	waitDeleted func(ctx context.Context, id string) error
}

func gatewayRemover(c *scpvpn.Client) remover {
	s := c.V1Dot1.Gateways
	return remover{
		get: func(ctx context.Context, id string) (scpvpn.State, error) {
			g, err := s.Get(ctx, id)
			if err != nil {
				return "", err
			}
			return g.State, nil
		},
		delete: func(ctx context.Context, id string) error { return s.Delete(ctx, id) },
		waitActive: func(ctx context.Context, id string) error {
			_, err := s.WaitUntilActive(ctx, id)
			return err
		},
		waitDeleted: func(ctx context.Context, id string) error { return s.WaitUntilDeleted(ctx, id) },
	}
}

func tunnelRemover(c *scpvpn.Client) remover {
	s := c.V1Dot1.Tunnels
	return remover{
		get: func(ctx context.Context, id string) (scpvpn.State, error) {
			t, err := s.Get(ctx, id)
			if err != nil {
				return "", err
			}
			return t.State, nil
		},
		delete: func(ctx context.Context, id string) error { return s.Delete(ctx, id) },
		waitActive: func(ctx context.Context, id string) error {
			_, err := s.WaitUntilActive(ctx, id)
			return err
		},
		waitDeleted: func(ctx context.Context, id string) error { return s.WaitUntilDeleted(ctx, id) },
	}
}

// remove deletes the resource id and waits until it is gone, whatever
// state it is in: one being created or changed is waited for first (the
// service refuses to delete it meanwhile), one being deleted only waited
// for. A resource already gone is no error.
func (rm remover) remove(ctx context.Context, id string) error {
	state, err := rm.get(ctx, id)
	switch {
	case errors.Is(err, scpvpn.ErrNotFound):
		return nil
	case err != nil:
		return err
	}
	switch state {
	case scpvpn.StateDeleted:
		return nil
	case scpvpn.StateDeleting:
		return rm.waitDeleted(ctx, id)
	case scpvpn.StateCreating, scpvpn.StateEditing:
		// ERROR can be deleted too: only the wait's other failures stop.
		if err := rm.waitActive(ctx, id); err != nil && !errors.Is(err, scpvpn.ErrResourceFailed) {
			return err
		}
	}
	if err := rm.delete(ctx, id); err != nil {
		if errors.Is(err, scpvpn.ErrNotFound) {
			return nil
		}
		return err
	}
	return rm.waitDeleted(ctx, id)
}

// swept is what the sweeper deleted.
type swept struct {
	kind, name, id string
}

// sweep deletes what runs of the suite with prefix left, and waits until
// it is gone: first every tunnel named as a run names its tunnels, on a
// gateway named as that same run names its gateway, then every such
// gateway (see runName). A run creates its tunnels on its own gateway and
// nowhere else, so a tunnel of that shape on any other gateway is not the
// sweeper's: it is left, and said so. The VPN API's answers hold no tags,
// so the tag a run puts on its gateway cannot be checked here. A gateway
// that still has a tunnel of another name is left, with an error (the
// service refuses to delete it, and that tunnel is not the sweeper's). It
// goes on past a failure and reports them all.
func sweep(ctx context.Context, c *scpvpn.Client, prefix string, logf func(format string, args ...any)) ([]swept, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, fmt.Errorf("sweep: %w", err)
	}
	var done []swept
	var errs []error
	remove := func(kind, name, id string, rm remover) {
		start := time.Now()
		if err := rm.remove(ctx, id); err != nil {
			errs = append(errs, fmt.Errorf("%s %s (%s): %w", kind, name, id, err))
			logf("err  sweep: %s %s (%s): %v", kind, name, id, err)
			return
		}
		done = append(done, swept{kind, name, id})
		logf("ok   sweep: deleted %s %s (%s) in %s", kind, name, id, time.Since(start).Round(time.Millisecond))
	}
	// Names are matched here, not with the API's name filter, whose
	// matching (whole name or part) no document states.
	var gateways, tunnels []swept
	runOf := map[string]string{} // the run id of each run's gateway, by gateway id
	for g, err := range c.V1Dot1.Gateways.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("sweep: listing gateways: %w", err)
		}
		if runID, suffix, ok := runName(prefix, g.Name); ok && suffix == suffixGateway {
			gateways = append(gateways, swept{"gateway", g.Name, g.ID})
			runOf[g.ID] = runID
		}
	}
	for t, err := range c.V1Dot1.Tunnels.All(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("sweep: listing tunnels: %w", err)
		}
		runID, suffix, ok := runName(prefix, t.Name)
		switch {
		case !ok || suffix == suffixGateway:
		case runOf[t.VPNGatewayID] != runID:
			logf("left sweep: tunnel %s (%s) is on gateway %s, which run %s did not create", t.Name, t.ID, t.VPNGatewayID, runID)
		default:
			tunnels = append(tunnels, swept{"tunnel", t.Name, t.ID})
		}
	}
	for _, t := range tunnels {
		remove(t.kind, t.name, t.id, tunnelRemover(c))
	}
	for _, g := range gateways {
		remove(g.kind, g.name, g.id, gatewayRemover(c))
	}
	return done, errors.Join(errs...)
}

// TestSweep deletes what runs of the suite left in the account: run it
// with SCPVPN_SWEEP=1 or -sweep, configured as the suite is.
func TestSweep(t *testing.T) {
	if !enabled(envSweep) && !*sweepFlag {
		t.Skipf("the sweeper deletes resources: set %s=1 or pass -sweep to run it", envSweep)
	}
	neverCached(t)
	prefix := or(os.Getenv(envPrefix), defaultPrefix)
	c, err := scpvpn.NewClientFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := interruptible(t, signals(t)) // the sweep is its own clean-up
	base := prefix + strings.Repeat("?", runIDLen)
	t.Logf("sweeping the gateways named %s and their tunnels named %s or %s, at %s",
		base+suffixGateway, base+suffixTunnel10, base+suffixTunnel11, c.Endpoint())
	done, err := sweep(ctx, c, prefix, t.Logf)
	t.Logf("swept %d resources", len(done))
	if err != nil {
		t.Fatal(err)
	}
}
