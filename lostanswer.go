package scpvpn

// This file holds the one rule on lost answers. When an attempt of a Set or
// a Delete may have reached the service and its answer was lost, the retry
// can meet the first attempt's own doing: 409 (the resource is EDITING or
// DELETING) or 404 (it is gone). The SDK then looks at the resource and
// reports success only where it can confirm it; otherwise the error stands.
// A false conflict is safe (the caller retries); a false success loses data.

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/scpsdk/scpvpn/internal/rest"
)

// mayBeOwnDoing reports whether a failed call's last answer, 404 or 409
// (among want), may be the doing of an earlier attempt of the same call:
// only when such an attempt may have reached the service. After a 429, a
// 503 or a connection that never opened, the answer is reported as it is.
func mayBeOwnDoing(res rest.Result, err error, want ...int) bool {
	var apiErr *APIError
	return res.EarlierMayHaveActed && errors.As(err, &apiErr) && slices.Contains(want, apiErr.StatusCode)
}

// settleSet decides a Set whose retry was refused with 409: it succeeded
// if the resource, read back, holds every value the request asked for and
// is ACTIVE or EDITING. The resource read back is returned.
func (a resourceAPI[T, W]) settleSet(ctx context.Context, id string, res rest.Result, err error, holds func(*T) bool, co *callOptions) (*T, bool) {
	if !mayBeOwnDoing(res, err, http.StatusConflict) {
		return nil, false
	}
	r, gerr := a.get(ctx, id, co.forInnerCall())
	if gerr != nil {
		return nil, false
	}
	switch (*r).lifecycleState() {
	case StateActive, StateEditing:
		return r, holds(r)
	}
	return nil, false
}

// settleDelete decides a Delete whose retry was refused with 404 or 409:
// it succeeded if the resource is gone, DELETING or DELETED, since what the
// caller asked for is then happening.
func (a resourceAPI[T, W]) settleDelete(ctx context.Context, id string, res rest.Result, err error, co *callOptions) bool {
	if !mayBeOwnDoing(res, err, http.StatusNotFound, http.StatusConflict) {
		return false
	}
	if errors.Is(err, ErrNotFound) {
		return true
	}
	r, gerr := a.get(ctx, id, co.forInnerCall())
	if errors.Is(gerr, ErrNotFound) {
		return true
	}
	if gerr != nil {
		return false
	}
	s := (*r).lifecycleState()
	return s == StateDeleting || s == StateDeleted
}

// The checks below tell whether a resource holds every value a Set request
// asked for. Lists are compared as sets: the service may keep them in
// another order. A pre-shared key is never read back, so a request that
// sets one can never be confirmed.

func (r *GatewaySetRequest) heldBy(g *Gateway) bool {
	return heldDescription(r.Description, g.Description)
}

func (r *TunnelSetRequest) heldBy(t *Tunnel) bool {
	return heldDescription(r.Description, t.Description) && r.Phase1.heldBy(&t.Phase1) &&
		r.Phase2.heldBy(&t.Phase2)
}

func (r *TunnelSetRequestV1Dot1) heldBy(t *TunnelV1Dot1) bool {
	return heldDescription(r.Description, t.Description) && r.Phase1.heldBy(&t.Phase1) &&
		r.Phase2.heldBy(&t.Phase2)
}

func heldDescription(want *string, have string) bool { return want == nil || *want == have }

func (r *TunnelPhase1SetRequest) heldBy(h *TunnelPhase1) bool {
	if r == nil {
		return true
	}
	return r.PreSharedKey == "" &&
		heldInt(r.DPDRetryInterval, h.DPDRetryInterval) &&
		heldInt(r.IKEVersion, h.IKEVersion) &&
		heldString(r.PeerGatewayIP, h.PeerGatewayIP) &&
		heldSet(r.DiffieHellmanGroups, h.DiffieHellmanGroups) &&
		heldSet(r.Encryptions, h.Encryptions) &&
		heldInt(r.LifeTime, h.LifeTime)
}

func (r *TunnelPhase2SetRequest) heldBy(h *TunnelPhase2) bool {
	if r == nil {
		return true
	}
	return heldString(string(r.PerfectForwardSecrecy), string(h.PerfectForwardSecrecy)) &&
		heldSet(r.DiffieHellmanGroups, h.DiffieHellmanGroups) &&
		heldSet(r.Encryptions, h.Encryptions) &&
		heldInt(r.LifeTime, h.LifeTime) &&
		heldString(r.RemoteSubnet, h.RemoteSubnet)
}

func (r *TunnelPhase2SetRequestV1Dot1) heldBy(h *TunnelPhase2V1Dot1) bool {
	if r == nil {
		return true
	}
	return heldString(string(r.PerfectForwardSecrecy), string(h.PerfectForwardSecrecy)) &&
		heldSet(r.DiffieHellmanGroups, h.DiffieHellmanGroups) &&
		heldSet(r.Encryptions, h.Encryptions) &&
		heldInt(r.LifeTime, h.LifeTime) &&
		heldSet(r.RemoteSubnets, h.RemoteSubnets)
}

// heldInt and heldString: a zero value was not asked for (omitempty).
func heldInt(want, have int) bool       { return want == 0 || want == have }
func heldString(want, have string) bool { return want == "" || want == have }

// heldSet: an empty list was not asked for (omitempty); otherwise the
// same values.
func heldSet[E comparable](want, have []E) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	for _, h := range have {
		if !slices.Contains(want, h) {
			return false
		}
	}
	return true
}
