package acceptance

// This file holds a run: the life cycle it drives through every operation
// of both versions, step by step, what it created, and how it deletes
// that again.

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/scpsdk/scpvpn"
)

// A run creates, checks, changes and deletes one gateway and two tunnels.
type run struct {
	c     *scpvpn.Client
	cfg   config
	id    string
	names names
	logf  func(format string, args ...any)

	mu      sync.Mutex
	steps   []timing
	created []*resource
}

// timing is how one step went.
type timing struct {
	name string
	took time.Duration
	err  error
}

// resource is something a run created.
type resource struct {
	kind    string // "gateway", "tunnel (vpn 1.0)", "tunnel (vpn 1.1)"
	name    string
	id      string
	remover remover
	gone    bool
}

func newRun(c *scpvpn.Client, cfg config, logf func(format string, args ...any)) *run {
	id := newRunID()
	return &run{c: c, cfg: cfg, id: id, names: cfg.names(id), logf: logf}
}

// step runs f as the step name, timed and logged.
func (r *run) step(ctx context.Context, name string, f func(ctx context.Context) error) error {
	start := time.Now()
	err := f(ctx)
	took := time.Since(start)
	r.mu.Lock()
	r.steps = append(r.steps, timing{name: name, took: took, err: err})
	r.mu.Unlock()
	if err != nil {
		r.logf("err  %-44s %8s: %v", name, took.Round(time.Millisecond), err)
		return fmt.Errorf("%s: %w", name, err)
	}
	r.logf("ok   %-44s %8s", name, took.Round(time.Millisecond))
	return nil
}

// track records a resource as soon as its id is known, so that clean-up
// finds it whatever happens next.
func (r *run) track(kind, name, id string, rm remover) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.created = append(r.created, &resource{kind: kind, name: name, id: id, remover: rm})
	r.logf("created %s %s, id %s", kind, name, id)
}

// gone marks the resource of id deleted.
func (r *run) gone(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, res := range r.created {
		if res.id == id {
			res.gone = true
		}
	}
}

// lifecycle drives the whole run; the first step that fails ends it, its
// error naming the step. What it created is left to cleanup.
func (r *run) lifecycle(ctx context.Context) error {
	gw11, gw10 := r.c.V1Dot1.Gateways, r.c.V1Dot0.Gateways
	tn11, tn10 := r.c.V1Dot1.Tunnels, r.c.V1Dot0.Tunnels
	var gw *scpvpn.Gateway
	var t11 *scpvpn.TunnelV1Dot1
	var t10 *scpvpn.Tunnel
	steps := []struct {
		name string
		f    func(ctx context.Context) error
	}{
		{"gateway quota (1.1, 1.0)", func(ctx context.Context) error {
			for _, s := range []*scpvpn.GatewayService{gw11, gw10} {
				q, err := s.Quota(ctx, &scpvpn.GatewayQuotaOptions{VPCID: r.cfg.vpcID})
				if err != nil {
					return err
				}
				if q.Used >= q.Max {
					return fmt.Errorf("no room for a gateway: %d of %d in use", q.Used, q.Max)
				}
			}
			return nil
		}},
		{"gateway create (1.1)", func(ctx context.Context) error {
			var err error
			gw, err = gw11.Create(ctx, &scpvpn.GatewayCreateRequest{
				Name: r.names.gateway, Description: "scpvpn acceptance " + r.id,
				VPCID: r.cfg.vpcID, IPID: r.cfg.ipID, IPAddress: r.cfg.ipAddress, IPType: scpvpn.IPTypePublic,
				Tags: []scpvpn.Tag{{Key: "scpvpn-acceptance", Value: r.id}},
			})
			if err != nil {
				return err
			}
			r.track("gateway", gw.Name, gw.ID, gatewayRemover(r.c))
			return expect("name", gw.Name, r.names.gateway)
		}},
		{"gateway wait until ACTIVE (1.1)", func(ctx context.Context) error {
			var err error
			gw, err = gw11.WaitUntilActive(ctx, gw.ID)
			return err
		}},
		{"gateway get (1.0, 1.1)", func(ctx context.Context) error {
			for _, s := range []*scpvpn.GatewayService{gw10, gw11} {
				got, err := s.Get(ctx, gw.ID)
				if err != nil {
					return err
				}
				if err := errors.Join(expect("name", got.Name, r.names.gateway), expect("vpc_id", got.VPCID, r.cfg.vpcID),
					expect("ip_address", got.IPAddress, r.cfg.ipAddress), expect("state", got.State, scpvpn.StateActive)); err != nil {
					return err
				}
			}
			return nil
		}},
		{"gateway list and All (1.0, 1.1)", func(ctx context.Context) error {
			l, err := gw10.List(ctx, &scpvpn.GatewayListOptions{VPCID: r.cfg.vpcID, Size: 100})
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(l.Gateways, func(g scpvpn.Gateway) bool { return g.ID == gw.ID }) {
				return fmt.Errorf("the list of VPC %s lacks %s", r.cfg.vpcID, gw.ID)
			}
			return findIn(gw11.All(ctx, &scpvpn.GatewayListOptions{Size: 2}), gw.ID, func(g *scpvpn.Gateway) string { return g.ID })
		}},
		{"gateway set (1.0, 1.1) and wait", func(ctx context.Context) error {
			for i, s := range []*scpvpn.GatewayService{gw10, gw11} {
				want := fmt.Sprintf("scpvpn acceptance %s set %d", r.id, i)
				if _, err := s.Set(ctx, gw.ID, &scpvpn.GatewaySetRequest{Description: &want}); err != nil {
					return err
				}
				got, err := s.WaitUntilActive(ctx, gw.ID)
				if err != nil {
					return err
				}
				if err := expect("description", got.Description, want); err != nil {
					return err
				}
			}
			return nil
		}},
		{"tunnel quota (1.0, 1.1)", func(ctx context.Context) error {
			for _, q := range []func(context.Context, *scpvpn.TunnelQuotaOptions, ...scpvpn.CallOption) (*scpvpn.TunnelQuota, error){tn10.Quota, tn11.Quota} {
				got, err := q(ctx, &scpvpn.TunnelQuotaOptions{VPNGatewayID: gw.ID})
				if err != nil {
					return err
				}
				if got.Max-got.Used < 2 {
					return fmt.Errorf("no room for two tunnels: %d of %d in use", got.Used, got.Max)
				}
			}
			return nil
		}},
		{"subnet check, free (1.1, 1.0)", func(ctx context.Context) error {
			return errors.Join(r.checkSubnet(ctx, tn11.CheckSubnet, gw.ID, r.cfg.subnets[0], scpvpn.SubnetAvailable),
				r.checkSubnet(ctx, tn10.CheckSubnet, gw.ID, r.cfg.subnets[2], scpvpn.SubnetAvailable))
		}},
		{"tunnel create (1.1) and wait", func(ctx context.Context) error {
			var err error
			t11, err = tn11.Create(ctx, &scpvpn.TunnelCreateRequestV1Dot1{
				Name: r.names.tunnel11, Description: "scpvpn acceptance " + r.id, VPNGatewayID: gw.ID,
				Phase1: r.phase1(r.cfg.peerIPs[0]),
				Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
					PerfectForwardSecrecy: scpvpn.PFSEnable, DiffieHellmanGroups: []int{19}, Encryptions: []string{"aes128gcm"},
					LifeTime: 43200, RemoteSubnets: r.cfg.subnets[:2],
				},
				Tags: []scpvpn.Tag{{Key: "scpvpn-acceptance", Value: r.id}},
			})
			if err != nil {
				return err
			}
			r.track("tunnel (vpn 1.1)", t11.Name, t11.ID, tunnelRemover(r.c))
			t11, err = tn11.WaitUntilActive(ctx, t11.ID)
			return err
		}},
		{"tunnel create (1.0) and wait", func(ctx context.Context) error {
			var err error
			t10, err = tn10.Create(ctx, &scpvpn.TunnelCreateRequest{
				Name: r.names.tunnel10, VPNGatewayID: gw.ID,
				Phase1: r.phase1(r.cfg.peerIPs[1]),
				Phase2: scpvpn.TunnelPhase2CreateRequest{
					PerfectForwardSecrecy: scpvpn.PFSDisable, DiffieHellmanGroups: []int{14}, Encryptions: []string{"aes256-sha256"},
					LifeTime: 3600, RemoteSubnet: r.cfg.subnets[2],
				},
			})
			if err != nil {
				return err
			}
			r.track("tunnel (vpn 1.0)", t10.Name, t10.ID, tunnelRemover(r.c))
			t10, err = tn10.WaitUntilActive(ctx, t10.ID)
			return err
		}},
		{"subnet check, taken (1.1, 1.0)", func(ctx context.Context) error {
			return errors.Join(r.checkSubnet(ctx, tn11.CheckSubnet, gw.ID, r.cfg.subnets[1], scpvpn.SubnetDuplicate),
				r.checkSubnet(ctx, tn10.CheckSubnet, gw.ID, r.cfg.subnets[2], scpvpn.SubnetDuplicate))
		}},
		{"tunnel get (1.1, 1.0)", func(ctx context.Context) error {
			got11, err := tn11.Get(ctx, t11.ID)
			if err != nil {
				return err
			}
			got10, err := tn10.Get(ctx, t10.ID)
			if err != nil {
				return err
			}
			return errors.Join(
				expect("1.1 name", got11.Name, r.names.tunnel11), expect("1.1 state", got11.State, scpvpn.StateActive),
				expect("1.1 peer_gateway_ip", got11.Phase1.PeerGatewayIP, r.cfg.peerIPs[0]),
				expect("1.1 remote_subnets", strings.Join(got11.Phase2.RemoteSubnets, ","), strings.Join(r.cfg.subnets[:2], ",")),
				expect("1.1 vpn_gateway_id", got11.VPNGatewayID, gw.ID),
				expect("1.0 name", got10.Name, r.names.tunnel10), expect("1.0 state", got10.State, scpvpn.StateActive),
				expect("1.0 remote_subnet", got10.Phase2.RemoteSubnet, r.cfg.subnets[2]))
		}},
		{"tunnel list and All (1.0, 1.1)", func(ctx context.Context) error {
			l, err := tn10.List(ctx, &scpvpn.TunnelListOptions{VPNGatewayID: gw.ID})
			if err != nil {
				return err
			}
			if l.Count != 2 || len(l.Tunnels) != 2 {
				return fmt.Errorf("gateway %s lists %d tunnels (count %d), want 2", gw.ID, len(l.Tunnels), l.Count)
			}
			all := tn11.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: gw.ID, Size: 1})
			return findIn(all, t10.ID, func(t *scpvpn.TunnelV1Dot1) string { return t.ID })
		}},
		{"tunnel set (1.1, 1.0) and wait", func(ctx context.Context) error {
			subnets := []string{r.cfg.subnets[0], r.cfg.subnets[1], r.cfg.subnets[3]}
			if _, err := tn11.Set(ctx, t11.ID, &scpvpn.TunnelSetRequestV1Dot1{
				Description: scpvpn.Ptr("set " + r.id),
				Phase2:      &scpvpn.TunnelPhase2SetRequestV1Dot1{RemoteSubnets: subnets},
			}); err != nil {
				return err
			}
			got11, err := tn11.WaitUntilActive(ctx, t11.ID)
			if err != nil {
				return err
			}
			if _, err := tn10.Set(ctx, t10.ID, &scpvpn.TunnelSetRequest{Description: scpvpn.Ptr("set " + r.id)}); err != nil {
				return err
			}
			got10, err := tn10.WaitUntilActive(ctx, t10.ID)
			if err != nil {
				return err
			}
			return errors.Join(expect("1.1 remote_subnets", strings.Join(got11.Phase2.RemoteSubnets, ","), strings.Join(subnets, ",")),
				expect("1.1 description", got11.Description, "set "+r.id), expect("1.0 description", got10.Description, "set "+r.id))
		}},
		{"tunnel delete (1.1, 1.0) and wait", func(ctx context.Context) error {
			if err := tn11.Delete(ctx, t11.ID); err != nil {
				return err
			}
			if err := tn10.Delete(ctx, t10.ID); err != nil {
				return err
			}
			if err := tn11.WaitUntilDeleted(ctx, t11.ID); err != nil {
				return err
			}
			r.gone(t11.ID)
			if err := tn10.WaitUntilDeleted(ctx, t10.ID); err != nil {
				return err
			}
			r.gone(t10.ID)
			return nil
		}},
		// Created in 1.1, deleted in 1.0: one gateway covers both versions,
		// whose gateway operations are the same.
		{"gateway delete (1.0) and wait", func(ctx context.Context) error {
			if err := gw10.Delete(ctx, gw.ID); err != nil {
				return err
			}
			if err := gw10.WaitUntilDeleted(ctx, gw.ID); err != nil {
				return err
			}
			r.gone(gw.ID)
			return nil
		}},
	}
	for _, s := range steps {
		if err := r.step(ctx, s.name, s.f); err != nil {
			return err
		}
	}
	return nil
}

// phase1 is the IKE phase of a run's tunnels.
func (r *run) phase1(peer string) scpvpn.TunnelPhase1CreateRequest {
	return scpvpn.TunnelPhase1CreateRequest{
		DPDRetryInterval: 60, IKEVersion: 2, PeerGatewayIP: peer,
		DiffieHellmanGroups: []int{19}, Encryptions: []string{"aes256-sha256"}, LifeTime: 86400,
		PreSharedKey: scpvpn.Secret(newPreSharedKey()),
	}
}

func (r *run) checkSubnet(ctx context.Context, check func(context.Context, string, string, ...scpvpn.CallOption) (*scpvpn.SubnetAvailability, error), gatewayID, subnet string, want scpvpn.SubnetAvailabilityStatus) error {
	got, err := check(ctx, gatewayID, subnet)
	if err != nil {
		return err
	}
	return expect("availability of "+subnet, got.Availability, want)
}

// expect reports a value that is not the one wanted.
func expect[T comparable](what string, got, want T) error {
	if got != want {
		return fmt.Errorf("%s is %v, want %v", what, got, want)
	}
	return nil
}

// findIn walks seq until it finds id.
func findIn[T any](seq iter.Seq2[*T, error], id string, idOf func(*T) string) error {
	n := 0
	for item, err := range seq {
		if err != nil {
			return err
		}
		n++
		if idOf(item) == id {
			return nil
		}
	}
	return fmt.Errorf("%s is not among the %d listed", id, n)
}

// cleanup deletes, tunnels first, what the run created and did not
// delete, and waits until it is gone. It goes on past a failure and
// reports them all.
func (r *run) cleanup(ctx context.Context) error {
	r.mu.Lock()
	left := slices.Clone(r.created)
	r.mu.Unlock()
	// Tunnels were created after their gateway: the reverse order deletes
	// them first.
	slices.Reverse(left)
	var errs []error
	for _, res := range left {
		if res.gone {
			continue
		}
		start := time.Now()
		if err := res.remover.remove(ctx, res.id); err != nil {
			errs = append(errs, fmt.Errorf("%s %s (%s) may be left: %w", res.kind, res.name, res.id, err))
			r.logf("err  clean-up: %s %s: %v", res.kind, res.name, err)
			continue
		}
		r.gone(res.id)
		r.logf("ok   clean-up: deleted %s %s in %s", res.kind, res.name, time.Since(start).Round(time.Millisecond))
	}
	return errors.Join(errs...)
}

// summary tells what the run created and how long each step took.
func (r *run) summary() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "run %s against %s\ncreated:\n", r.id, r.c.Endpoint())
	for _, res := range r.created {
		state := "deleted"
		if !res.gone {
			state = "LEFT BEHIND: run the sweeper"
		}
		fmt.Fprintf(&b, "  %-18s %-20s %-34s %s\n", res.kind, res.name, res.id, state)
	}
	b.WriteString("steps:\n")
	var total time.Duration
	for _, s := range r.steps {
		total += s.took
		status := "ok"
		if s.err != nil {
			status = "FAILED"
		}
		fmt.Fprintf(&b, "  %-44s %10s  %s\n", s.name, s.took.Round(time.Millisecond), status)
	}
	fmt.Fprintf(&b, "  %-44s %10s\n", "total", total.Round(time.Millisecond))
	return b.String()
}
