package scpvpn_test

// The soak's tunnel operations, in both versions of the API.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/scpsdk/scpvpn"
)

// soakTunnelValues are what a tunnel Set asks for; zero fields are not set.
type soakTunnelValues struct {
	desc              string
	dpd, life1, life2 int
	remoteSubnet      string // version 1.0
	remoteSubnets     []string
	heldSubnets       []string // what the fake should then show in version 1.1
	v11               bool
	returned          string // what the SDK said it holds, on success
}

func (w *soakWorker) createTunnel(g *soakGateway) {
	v11 := w.v11()
	name := w.unique("t")
	phase1 := scpvpn.TunnelPhase1CreateRequest{
		DPDRetryInterval: 60, IKEVersion: 2, PeerGatewayIP: "123.0.0.2",
		DiffieHellmanGroups: []int{30, 31}, Encryptions: []string{"aes128gcm"}, LifeTime: 86400,
		PreSharedKey: "soak-pre-shared-key",
	}
	var id, state string
	resp, err := w.call("tunnel create", name, func(ctx context.Context, co []scpvpn.CallOption) error {
		if v11 {
			tn, err := w.c.V1Dot1.Tunnels.Create(ctx, &scpvpn.TunnelCreateRequestV1Dot1{
				Name: name, Description: "soak", VPNGatewayID: g.id, Phase1: phase1,
				Phase2: scpvpn.TunnelPhase2CreateRequestV1Dot1{
					PerfectForwardSecrecy: scpvpn.PFSEnable, DiffieHellmanGroups: []int{30}, Encryptions: []string{"aes128gcm"},
					LifeTime: 43200, RemoteSubnets: []string{"10.1.1.0/24", "10.1.2.0/24"},
				},
			}, co...)
			if err == nil {
				id, state = tn.ID, string(tn.State)
			}
			return err
		}
		tn, err := w.c.V1Dot0.Tunnels.Create(ctx, &scpvpn.TunnelCreateRequest{
			Name: name, Description: "soak", VPNGatewayID: g.id, Phase1: phase1,
			Phase2: scpvpn.TunnelPhase2CreateRequest{
				PerfectForwardSecrecy: scpvpn.PFSDisable, DiffieHellmanGroups: []int{31}, Encryptions: []string{"aes128gcm"},
				LifeTime: 43200, RemoteSubnet: "10.2.0.0/16",
			},
		}, co...)
		if err == nil {
			id, state = tn.ID, string(tn.State)
		}
		return err
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	list, lerr := w.s.truth.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Name: name})
	if lerr != nil {
		w.s.violate(soakHarness, "the fake could not list tunnels: %v", lerr)
		return
	}
	var ids []string
	for _, tn := range list.Tunnels {
		if tn.Name == name {
			ids = append(ids, tn.ID)
		}
	}
	returned := ""
	if err == nil {
		returned = id + " " + state
	}
	w.checkCreate(soakCreate{noun: "tunnel", name: name, where: " on " + g.id, v11: v11, resp: resp, err: err, id: id, returned: returned}, ids)
	if len(ids) > 0 {
		g.tunnels = append(g.tunnels, &soakTunnel{id: ids[0], name: name})
	}
}

func (w *soakWorker) getTunnel(_ *soakGateway, tn *soakTunnel) {
	_, _ = w.call("tunnel get", tn.id, func(ctx context.Context, co []scpvpn.CallOption) error {
		if w.v11() {
			_, err := w.c.V1Dot1.Tunnels.Get(ctx, tn.id, co...)
			return err
		}
		_, err := w.c.V1Dot0.Tunnels.Get(ctx, tn.id, co...)
		return err
	})
}

func (w *soakWorker) listTunnels(g *soakGateway, tn *soakTunnel) {
	_, _ = w.call("tunnel list", tn.name, func(ctx context.Context, co []scpvpn.CallOption) error {
		if w.v11() {
			_, err := w.c.V1Dot1.Tunnels.List(ctx, &scpvpn.TunnelListOptionsV1Dot1{Name: tn.name, VPNGatewayID: g.id}, co...)
			return err
		}
		_, err := w.c.V1Dot0.Tunnels.List(ctx, &scpvpn.TunnelListOptions{Name: tn.name, VPNGatewayID: g.id}, co...)
		return err
	})
}

func (w *soakWorker) waitTunnel(_ *soakGateway, tn *soakTunnel) {
	_, _ = w.call("tunnel wait-active", tn.id, func(ctx context.Context, co []scpvpn.CallOption) error {
		if w.v11() {
			_, err := w.c.V1Dot1.Tunnels.WaitUntilActive(ctx, tn.id, co...)
			return err
		}
		_, err := w.c.V1Dot0.Tunnels.WaitUntilActive(ctx, tn.id, co...)
		return err
	})
}

// tunnelValues draws what a tunnel Set asks for: always a new description,
// and some phase fields.
func (w *soakWorker) tunnelValues() *soakTunnelValues {
	v := &soakTunnelValues{desc: w.unique("d"), v11: w.v11()}
	if w.rng.IntN(2) == 0 {
		v.dpd = 1 + w.rng.IntN(3600)
	}
	if w.rng.IntN(2) == 0 {
		v.life1 = 120 + w.rng.IntN(172680)
	}
	if w.rng.IntN(2) == 0 {
		v.life2 = 120 + w.rng.IntN(172680)
	}
	if w.rng.IntN(3) == 0 {
		subnet := fmt.Sprintf("10.%d.%d.0/24", 3+w.rng.IntN(200), w.rng.IntN(256))
		if v.v11 {
			v.remoteSubnets = []string{subnet, "10.250.0.0/16"}
		} else {
			v.remoteSubnet = subnet
			v.heldSubnets = []string{subnet}
		}
		if v.v11 {
			v.heldSubnets = v.remoteSubnets
		}
	}
	return v
}

// setTunnel sets new values, and sometimes others right after them, as
// setGateway does.
func (w *soakWorker) setTunnel(_ *soakGateway, tn *soakTunnel) {
	for again := true; again; again = w.rng.IntN(3) == 0 {
		v := w.tunnelValues()
		start := time.Now()
		end, note := w.contend(tn.id)
		_, err := w.call("tunnel set", tn.id, func(ctx context.Context, co []scpvpn.CallOption) error { return w.sendTunnelSet(ctx, tn.id, v, co) })
		end()
		if err != nil {
			continue
		}
		ctx, cancel := soakFakeCtx()
		held, herr := w.s.truth.V1Dot1.Tunnels.Get(ctx, tn.id)
		cancel()
		if herr == nil && v.heldBy(held) {
			continue
		}
		w.phantomSet("tunnel", tn.id, soakTunnelPath(tn.id), v.v11, v.desc, start, note, v.returned+"; asked for "+v.String(),
			soakHolds(herr, func() string { return soakTunnelString(held) }))
	}
}

// sendTunnelSet sends v through the client under test, in its version.
func (w *soakWorker) sendTunnelSet(ctx context.Context, id string, v *soakTunnelValues, co []scpvpn.CallOption) error {
	var p1 *scpvpn.TunnelPhase1SetRequest
	if v.dpd != 0 || v.life1 != 0 {
		p1 = &scpvpn.TunnelPhase1SetRequest{DPDRetryInterval: v.dpd, LifeTime: v.life1}
	}
	if v.v11 {
		req := &scpvpn.TunnelSetRequestV1Dot1{Description: &v.desc, Phase1: p1}
		if v.life2 != 0 || v.remoteSubnets != nil {
			req.Phase2 = &scpvpn.TunnelPhase2SetRequestV1Dot1{LifeTime: v.life2, RemoteSubnets: v.remoteSubnets}
		}
		tn, err := w.c.V1Dot1.Tunnels.Set(ctx, id, req, co...)
		if err == nil {
			v.returned = soakTunnelString(tn)
		}
		return err
	}
	req := &scpvpn.TunnelSetRequest{Description: &v.desc, Phase1: p1}
	if v.life2 != 0 || v.remoteSubnet != "" {
		req.Phase2 = &scpvpn.TunnelPhase2SetRequest{LifeTime: v.life2, RemoteSubnet: v.remoteSubnet}
	}
	tn, err := w.c.V1Dot0.Tunnels.Set(ctx, id, req, co...)
	if err == nil {
		v.returned = fmt.Sprintf("description %q, dpd %d, life %d/%d, subnet %q, state %s",
			tn.Description, tn.Phase1.DPDRetryInterval, tn.Phase1.LifeTime, tn.Phase2.LifeTime, tn.Phase2.RemoteSubnet, tn.State)
	}
	return err
}

// heldBy reports whether tn holds every value v asked for.
func (v *soakTunnelValues) heldBy(tn *scpvpn.TunnelV1Dot1) bool {
	return tn.Description == v.desc &&
		(v.dpd == 0 || tn.Phase1.DPDRetryInterval == v.dpd) &&
		(v.life1 == 0 || tn.Phase1.LifeTime == v.life1) &&
		(v.life2 == 0 || tn.Phase2.LifeTime == v.life2) &&
		(v.heldSubnets == nil || soakSameSet(tn.Phase2.RemoteSubnets, v.heldSubnets))
}

func (v *soakTunnelValues) String() string {
	return fmt.Sprintf("description %q, dpd %d, life %d/%d, subnets %v (zero: unchanged)", v.desc, v.dpd, v.life1, v.life2, v.heldSubnets)
}

func soakTunnelString(tn *scpvpn.TunnelV1Dot1) string {
	return fmt.Sprintf("description %q, dpd %d, life %d/%d, subnets %v, state %s",
		tn.Description, tn.Phase1.DPDRetryInterval, tn.Phase1.LifeTime, tn.Phase2.LifeTime, tn.Phase2.RemoteSubnets, tn.State)
}

func soakSameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

func (w *soakWorker) deleteTunnel(g *soakGateway, tn *soakTunnel) {
	v11 := w.v11()
	start := time.Now()
	_, err := w.call("tunnel delete", tn.id, func(ctx context.Context, co []scpvpn.CallOption) error {
		if v11 {
			return w.c.V1Dot1.Tunnels.Delete(ctx, tn.id, co...)
		}
		return w.c.V1Dot0.Tunnels.Delete(ctx, tn.id, co...)
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	st, serr := w.s.heldState("tunnel", tn.id)
	gone := errors.Is(serr, scpvpn.ErrNotFound) || serr == nil && (st == scpvpn.StateDeleting || st == scpvpn.StateDeleted)
	if err == nil && !gone {
		w.s.violate(soakFalseGone, "worker %d (%s): tunnel delete %s (v%s) -> success; the fake holds %s; requests since the call:%s",
			w.n, w.proto(), tn.id, soakVersion(v11), soakHolds(serr, func() string { return "it " + string(st) }), w.s.journal(soakTunnelPath(tn.id), start))
	}
	if !gone {
		return
	}
	g.tunnels = slices.DeleteFunc(g.tunnels, func(x *soakTunnel) bool { return x == tn })
	if w.rng.IntN(2) == 0 {
		w.waitDeleted("tunnel", tn.id, soakTunnelPath(tn.id), func(ctx context.Context, co []scpvpn.CallOption) error {
			if w.v11() {
				return w.c.V1Dot1.Tunnels.WaitUntilDeleted(ctx, tn.id, co...)
			}
			return w.c.V1Dot0.Tunnels.WaitUntilDeleted(ctx, tn.id, co...)
		})
	}
}
