package scpvpn_test

// The soak's workers: how each owns its resources and makes its calls, and
// the gateway operations.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/scpsdk/scpvpn"
)

// soakGateway and soakTunnel are resources a worker owns: no one else
// touches them, so what the fake holds is what this worker's calls did.
type soakGateway struct {
	id, name string
	tunnels  []*soakTunnel
}

type soakTunnel struct {
	id, name string
}

// soakWorker runs operations on its own resources, through one of the
// clients under test: even workers speak plain HTTP/1.1, odd ones HTTP/2
// over TLS.
type soakWorker struct {
	s        *soak
	n        int
	c        *scpvpn.Client
	rng      *rand.Rand
	serial   int    // of names and descriptions
	calls    int    // of calls, for their tags
	tag      string // of the last call
	gateways []*soakGateway
}

func newSoakWorker(s *soak, n int) *soakWorker {
	return &soakWorker{s: s, n: n, c: s.clients[n%2], rng: rand.New(rand.NewPCG(s.cfg.seed, uint64(n)))}
}

// proto names the protocol of the worker's client, for reports.
func (w *soakWorker) proto() string {
	if w.n%2 == 0 {
		return "HTTP/1.1"
	}
	return "HTTP/2"
}

// unique returns a name or description no other call uses: 1 to 20 letters
// and digits, of one length, so that a name filter (a substring match)
// finds only it.
func (w *soakWorker) unique(prefix string) string {
	w.serial++
	return fmt.Sprintf("%s%02dn%07d", prefix, w.n, w.serial)
}

// soakOp is one kind of operation, with its weight and whether it can run
// now.
type soakOp struct {
	weight int
	can    func() bool
	run    func()
}

func (w *soakWorker) run() {
	ops := []soakOp{
		{3, func() bool { return len(w.gateways) < 2 }, w.createGateway},
		{2, w.hasGateway, func() { w.getGateway(w.pickGateway()) }},
		{1, w.hasGateway, func() { w.listGateways(w.pickGateway()) }},
		{4, w.hasGateway, func() { w.setGateway(w.pickGateway()) }},
		{1, func() bool { return w.bareGateway() != nil }, func() { w.deleteGateway(w.bareGateway()) }},
		{2, w.hasGateway, func() { w.waitGateway(w.pickGateway()) }},
		{3, func() bool { return w.roomyGateway() != nil }, func() { w.createTunnel(w.roomyGateway()) }},
		{2, w.hasTunnel, func() { w.getTunnel(w.pickTunnel()) }},
		{1, w.hasTunnel, func() { w.listTunnels(w.pickTunnel()) }},
		{4, w.hasTunnel, func() { w.setTunnel(w.pickTunnel()) }},
		{1, w.hasTunnel, func() { w.deleteTunnel(w.pickTunnel()) }},
		{2, w.hasTunnel, func() { w.waitTunnel(w.pickTunnel()) }},
	}
	for w.s.budget.Load() > 0 {
		total := 0
		for _, op := range ops {
			if op.can() {
				total += op.weight
			}
		}
		x := w.rng.IntN(total)
		for _, op := range ops {
			if !op.can() {
				continue
			}
			if x < op.weight {
				op.run()
				break
			}
			x -= op.weight
		}
	}
}

func (w *soakWorker) hasGateway() bool { return len(w.gateways) > 0 }

func (w *soakWorker) hasTunnel() bool {
	for _, g := range w.gateways {
		if len(g.tunnels) > 0 {
			return true
		}
	}
	return false
}

func (w *soakWorker) pickGateway() *soakGateway { return w.gateways[w.rng.IntN(len(w.gateways))] }

// bareGateway returns a gateway without tunnels, which can be deleted.
func (w *soakWorker) bareGateway() *soakGateway {
	for _, g := range w.gateways {
		if len(g.tunnels) == 0 {
			return g
		}
	}
	return nil
}

// roomyGateway returns a gateway with room for another tunnel.
func (w *soakWorker) roomyGateway() *soakGateway {
	for _, g := range w.gateways {
		if len(g.tunnels) < 2 {
			return g
		}
	}
	return nil
}

func (w *soakWorker) pickTunnel() (*soakGateway, *soakTunnel) {
	type owned struct {
		g  *soakGateway
		tn *soakTunnel
	}
	var all []owned
	for _, g := range w.gateways {
		for _, tn := range g.tunnels {
			all = append(all, owned{g, tn})
		}
	}
	p := all[w.rng.IntN(len(all))]
	return p.g, p.tn
}

// v11 chooses the API version of the next call.
func (w *soakWorker) v11() bool { return w.rng.IntN(2) == 0 }

func soakVersion(v11 bool) string {
	if v11 {
		return "1.1"
	}
	return "1.0"
}

func soakGatewayPath(id string) string { return "/v1/vpn-gateways/" + id }
func soakTunnelPath(id string) string  { return "/v1/vpn-tunnels/" + id }

// soakOutcome renders a call's outcome.
func soakOutcome(err error, returned string) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return "success: " + returned
}

// --- gateways -------------------------------------------------------------

func (w *soakWorker) gatewayService(v11 bool) *scpvpn.GatewayService {
	if v11 {
		return w.c.V1Dot1.Gateways
	}
	return w.c.V1Dot0.Gateways
}

func (w *soakWorker) createGateway() {
	v11 := w.v11()
	name := w.unique("g")
	req := &scpvpn.GatewayCreateRequest{
		Name: name, Description: "soak", IPAddress: "123.0.0.1", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPType: scpvpn.IPTypePublic, VPCID: "ceb44ea5ecb34a49b16495f9a63b0718",
	}
	var gw *scpvpn.Gateway
	resp, err := w.call("gateway create", name, func(ctx context.Context, co []scpvpn.CallOption) (err error) {
		gw, err = w.gatewayService(v11).Create(ctx, req, co...)
		return err
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	list, lerr := w.s.truth.V1Dot1.Gateways.List(ctx, &scpvpn.GatewayListOptions{Name: name})
	if lerr != nil {
		w.s.violate(soakHarness, "the fake could not list gateways: %v", lerr)
		return
	}
	var ids []string
	for _, g := range list.Gateways {
		if g.Name == name {
			ids = append(ids, g.ID)
		}
	}
	var id, returned string
	if gw != nil {
		id, returned = gw.ID, gw.ID+" "+string(gw.State)
	}
	w.checkCreate(soakCreate{noun: "gateway", name: name, v11: v11, resp: resp, err: err, id: id, returned: returned}, ids)
	if len(ids) > 0 {
		// Created, even if the call failed: the worker owns it.
		w.gateways = append(w.gateways, &soakGateway{id: ids[0], name: name})
	}
}

func (w *soakWorker) getGateway(g *soakGateway) {
	_, _ = w.call("gateway get", g.id, func(ctx context.Context, co []scpvpn.CallOption) error {
		_, err := w.gatewayService(w.v11()).Get(ctx, g.id, co...)
		return err
	})
}

func (w *soakWorker) listGateways(g *soakGateway) {
	_, _ = w.call("gateway list", g.name, func(ctx context.Context, co []scpvpn.CallOption) error {
		_, err := w.gatewayService(w.v11()).List(ctx, &scpvpn.GatewayListOptions{Name: g.name}, co...)
		return err
	})
}

func (w *soakWorker) waitGateway(g *soakGateway) {
	_, _ = w.call("gateway wait-active", g.id, func(ctx context.Context, co []scpvpn.CallOption) error {
		_, err := w.gatewayService(w.v11()).WaitUntilActive(ctx, g.id, co...)
		return err
	})
}

// setGateway sets a new description, and sometimes another right after
// it, while the gateway is still EDITING: with contend, the cases where a
// retry meets 409.
func (w *soakWorker) setGateway(g *soakGateway) {
	for again := true; again; again = w.rng.IntN(3) == 0 {
		v11 := w.v11()
		desc := w.unique("d")
		var gw *scpvpn.Gateway
		start := time.Now()
		end, note := w.contend(g.id)
		_, err := w.call("gateway set", g.id, func(ctx context.Context, co []scpvpn.CallOption) (err error) {
			gw, err = w.gatewayService(v11).Set(ctx, g.id, &scpvpn.GatewaySetRequest{Description: &desc}, co...)
			return err
		})
		end()
		if err != nil {
			continue // an error is allowed, whatever happened
		}
		ctx, cancel := soakFakeCtx()
		held, herr := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
		cancel()
		if herr == nil && held.Description == desc {
			continue
		}
		w.phantomSet("gateway", g.id, soakGatewayPath(g.id), v11, desc, start, note,
			fmt.Sprintf("description %q, state %s", gw.Description, gw.State),
			soakHolds(herr, func() string { return fmt.Sprintf("description %q, state %s", held.Description, held.State) }))
	}
}

// phantomSet reports a Set whose values the fake does not hold after the
// SDK reported it done, unless one of its attempts was applied (then
// something else changed the resource since: not the SDK's lie).
func (w *soakWorker) phantomSet(noun, id, path string, v11 bool, desc string, start time.Time, note, returned, holds string) {
	if w.s.applied(http.MethodPut, path, desc) {
		return
	}
	w.s.violate(soakPhantom, "worker %d (%s): %s set %s (v%s) to description %q%s -> success: %s; the fake holds %s; requests since the call:%s",
		w.n, w.proto(), noun, id, soakVersion(v11), desc, note, returned, holds, w.s.journal(path, start))
}

// contend, one time in four, has another tool edit the resource while the
// worker's Set is under way: the fake holds it EDITING for the whole call,
// however fast or slow the machine, so that the Set and any retry of it
// meet 409. It returns how to end that edit, and a note for reports.
func (w *soakWorker) contend(id string) (end func(), note string) {
	if !w.s.cfg.contend || w.rng.IntN(4) != 0 {
		return func() {}, ""
	}
	if err := w.s.srv.ForceState(id, "EDITING"); err != nil {
		return func() {}, ""
	}
	return func() { _ = w.s.srv.ForceState(id, "ACTIVE") }, " while another tool held it EDITING"
}

// soakHolds renders what the fake answered.
func soakHolds(err error, held func() string) string {
	if err != nil {
		return "nothing readable (" + err.Error() + ")"
	}
	return held()
}

func (w *soakWorker) deleteGateway(g *soakGateway) {
	v11 := w.v11()
	start := time.Now()
	_, err := w.call("gateway delete", g.id, func(ctx context.Context, co []scpvpn.CallOption) error {
		return w.gatewayService(v11).Delete(ctx, g.id, co...)
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	held, herr := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
	gone := errors.Is(herr, scpvpn.ErrNotFound) || herr == nil && (held.State == scpvpn.StateDeleting || held.State == scpvpn.StateDeleted)
	if err == nil && !gone {
		w.s.violate(soakFalseGone, "worker %d (%s): gateway delete %s (v%s) -> success; the fake holds %s; requests since the call:%s",
			w.n, w.proto(), g.id, soakVersion(v11), soakHolds(herr, func() string { return "it " + string(held.State) }), w.s.journal(soakGatewayPath(g.id), start))
	}
	if !gone {
		w.adoptTunnels(ctx, g)
		return
	}
	w.gateways = slices.DeleteFunc(w.gateways, func(x *soakGateway) bool { return x == g })
	if w.rng.IntN(2) == 0 {
		w.waitDeleted("gateway", g.id, soakGatewayPath(g.id), func(ctx context.Context, co []scpvpn.CallOption) error {
			return w.gatewayService(w.v11()).WaitUntilDeleted(ctx, g.id, co...)
		})
	}
}

// adoptTunnels takes on the tunnels of g that a failed Create made
// without the worker knowing: they keep g from being deleted. Tunnels on
// their way out are the worker's own, deleted already.
func (w *soakWorker) adoptTunnels(ctx context.Context, g *soakGateway) {
	for tn, err := range w.s.truth.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: g.id}) {
		if err != nil {
			return
		}
		leaving := tn.State == scpvpn.StateDeleting || tn.State == scpvpn.StateDeleted
		if !leaving && !slices.ContainsFunc(g.tunnels, func(x *soakTunnel) bool { return x.id == tn.ID }) {
			g.tunnels = append(g.tunnels, &soakTunnel{id: tn.ID, name: tn.Name})
		}
	}
}

// waitDeleted waits for a deleted resource to be gone, and checks that it
// is when the waiter says so.
func (w *soakWorker) waitDeleted(noun, id, path string, wait func(ctx context.Context, co []scpvpn.CallOption) error) {
	start := time.Now()
	_, err := w.call(noun+" wait-deleted", id, wait)
	if err != nil {
		return
	}
	st, serr := w.s.heldState(noun, id)
	if errors.Is(serr, scpvpn.ErrNotFound) || serr == nil && st == scpvpn.StateDeleted {
		return
	}
	w.s.violate(soakFalseGone, "worker %d (%s): %s wait-deleted %s -> success; the fake holds %s; requests since the call:%s",
		w.n, w.proto(), noun, id, soakHolds(serr, func() string { return "it " + string(st) }), w.s.journal(path, start))
}

// --- tunnels --------------------------------------------------------------
