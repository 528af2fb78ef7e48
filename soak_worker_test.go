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
	"strconv"
	"strings"
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

// soakWorker runs operations on its own resources.
type soakWorker struct {
	s        *soak
	n        int
	rng      *rand.Rand
	serial   int
	gateways []*soakGateway
}

func newSoakWorker(s *soak, n int) *soakWorker {
	return &soakWorker{s: s, n: n, rng: rand.New(rand.NewPCG(s.cfg.seed, uint64(n)))}
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

// call runs one operation of the client under test within its call bound,
// and reports it as hung if it has not returned some slack after that.
func (w *soakWorker) call(op, resource string, f func(ctx context.Context) error) error {
	if w.s.budget.Add(-1) < 0 {
		return errSoakOver
	}
	start := time.Now()
	noun, verb, _ := strings.Cut(op, " ")
	path := ""
	if verb != "create" && verb != "list" {
		path = soakTunnelPath(resource)
		if noun == "gateway" {
			path = soakGatewayPath(resource)
		}
	}
	bound := w.s.cfg.callBound + w.s.cfg.slack
	ctx, cancel := context.WithTimeout(context.Background(), w.s.cfg.callBound)
	defer cancel()
	dog := time.AfterFunc(bound, func() {
		requests := " not recorded by path"
		if path != "" {
			requests = w.s.journal(path, start)
		}
		w.s.violate(soakHang, "worker %d: %s %s has not returned %s after it started; requests since the call:%s",
			w.n, op, resource, bound, requests)
		w.s.hungOnce.Do(func() { close(w.s.hung) })
	})
	err := f(ctx)
	dog.Stop()
	w.s.ops.Add(1)
	if err != nil {
		w.s.errs.Add(1)
		kind := soakErrorKind(err)
		if kind == "cut-body" && verb != "create" {
			w.s.cutBodies.Add(1)
			if m, ok := soakRetriedOnCuts[verb]; ok && w.s.attempts(m, path, start) < soakMaxAttempts {
				w.s.cutNotRetried.Add(1)
			}
		}
		w.s.mu.Lock()
		w.s.errKinds[kind]++
		w.s.mu.Unlock()
	}
	return err
}

// soakRetriedOnCuts are the operations on one resource whose cut answers
// may be retried, by the method they send.
var soakRetriedOnCuts = map[string]string{"get": http.MethodGet, "set": http.MethodPut, "delete": http.MethodDelete}

// soakErrorKind sorts the errors of the client under test, for the
// summary.
func soakErrorKind(err error) string {
	var apiErr *scpvpn.APIError
	msg := err.Error()
	switch {
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode)
	case strings.Contains(msg, "Client.Timeout"):
		return "attempt-timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline"
	case strings.Contains(msg, "unexpected EOF"):
		return "cut-body"
	case strings.Contains(msg, "connection reset"), strings.Contains(msg, "EOF"):
		return "connection-lost"
	}
	return "other"
}

// errSoakOver stops a worker whose budget ran out between its checks.
var errSoakOver = errors.New("soak: no operations left")

// soakFakeCtx bounds a read of the fake's state.
func soakFakeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
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
		return w.s.c.V1Dot1.Gateways
	}
	return w.s.c.V1Dot0.Gateways
}

func (w *soakWorker) createGateway() {
	v11 := w.v11()
	name := w.unique("g")
	req := &scpvpn.GatewayCreateRequest{
		Name: name, Description: "soak", IPAddress: "123.0.0.1", IPID: "fcde872f75c145a0893d656cc698f13e",
		IPType: scpvpn.IPTypePublic, VPCID: "ceb44ea5ecb34a49b16495f9a63b0718",
	}
	var gw *scpvpn.Gateway
	start := time.Now()
	err := w.call("gateway create", name, func(ctx context.Context) (err error) {
		gw, err = w.gatewayService(v11).Create(ctx, req)
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
	returned := ""
	if gw != nil {
		returned = gw.ID + " " + string(gw.State)
	}
	switch {
	case len(ids) > 1:
		w.s.reportedDuplicate(name)
		w.s.violate(soakDuplicate, "worker %d: gateway create %q (v%s) -> %s; the fake holds %d gateways of that name: %v; requests that carried it:%s",
			w.n, name, soakVersion(v11), soakOutcome(err, returned), len(ids), ids, w.s.posts(name))
	case err == nil && (len(ids) == 0 || ids[0] != gw.ID):
		w.s.violate(soakPhantom, "worker %d: gateway create %q (v%s) -> %s; the fake holds %v; requests since the call:%s",
			w.n, name, soakVersion(v11), soakOutcome(err, returned), ids, w.s.journal("/v1/vpn-gateways", start))
	}
	if len(ids) > 0 {
		// Created, even if the call failed: the worker owns it.
		w.gateways = append(w.gateways, &soakGateway{id: ids[0], name: name})
	}
}

func (w *soakWorker) getGateway(g *soakGateway) {
	_ = w.call("gateway get", g.id, func(ctx context.Context) error {
		_, err := w.gatewayService(w.v11()).Get(ctx, g.id)
		return err
	})
}

func (w *soakWorker) listGateways(g *soakGateway) {
	_ = w.call("gateway list", g.name, func(ctx context.Context) error {
		_, err := w.gatewayService(w.v11()).List(ctx, &scpvpn.GatewayListOptions{Name: g.name})
		return err
	})
}

func (w *soakWorker) waitGateway(g *soakGateway) {
	_ = w.call("gateway wait-active", g.id, func(ctx context.Context) error {
		_, err := w.gatewayService(w.v11()).WaitUntilActive(ctx, g.id)
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
		err := w.call("gateway set", g.id, func(ctx context.Context) (err error) {
			gw, err = w.gatewayService(v11).Set(ctx, g.id, &scpvpn.GatewaySetRequest{Description: &desc})
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
	w.s.violate(soakPhantom, "worker %d: %s set %s (v%s) to description %q%s -> success: %s; the fake holds %s; requests since the call:%s",
		w.n, noun, id, soakVersion(v11), desc, note, returned, holds, w.s.journal(path, start))
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
	err := w.call("gateway delete", g.id, func(ctx context.Context) error {
		return w.gatewayService(v11).Delete(ctx, g.id)
	})
	if errors.Is(err, errSoakOver) {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	held, herr := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
	gone := errors.Is(herr, scpvpn.ErrNotFound) || herr == nil && (held.State == scpvpn.StateDeleting || held.State == scpvpn.StateDeleted)
	if err == nil && !gone {
		w.s.violate(soakFalseDelete, "worker %d: gateway delete %s (v%s) -> success; the fake holds %s; requests since the call:%s",
			w.n, g.id, soakVersion(v11), soakHolds(herr, func() string { return "it " + string(held.State) }), w.s.journal(soakGatewayPath(g.id), start))
	}
	if !gone {
		w.adoptTunnels(ctx, g)
		return
	}
	w.gateways = slices.DeleteFunc(w.gateways, func(x *soakGateway) bool { return x == g })
	if w.rng.IntN(2) == 0 {
		w.waitDeleted("gateway", g.id, soakGatewayPath(g.id), func(ctx context.Context) error {
			return w.gatewayService(w.v11()).WaitUntilDeleted(ctx, g.id)
		}, func(ctx context.Context) (scpvpn.State, error) {
			gw, err := w.s.truth.V1Dot1.Gateways.Get(ctx, g.id)
			if err != nil {
				return "", err
			}
			return gw.State, nil
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
func (w *soakWorker) waitDeleted(noun, id, path string, wait func(ctx context.Context) error, state func(ctx context.Context) (scpvpn.State, error)) {
	start := time.Now()
	err := w.call(noun+" wait-deleted", id, wait)
	if err != nil {
		return
	}
	ctx, cancel := soakFakeCtx()
	defer cancel()
	st, serr := state(ctx)
	if errors.Is(serr, scpvpn.ErrNotFound) || serr == nil && st == scpvpn.StateDeleted {
		return
	}
	w.s.violate(soakFalseDelete, "worker %d: %s wait-deleted %s -> success; the fake holds %s; requests since the call:%s",
		w.n, noun, id, soakHolds(serr, func() string { return "it " + string(st) }), w.s.journal(path, start))
}

// --- tunnels --------------------------------------------------------------
