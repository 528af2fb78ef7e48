package rest

// This file holds the rule that no two requests of a call are signed in
// the same millisecond. A signature is bound to its timestamp, in
// milliseconds (SIGNING.md: every retry needs a fresh timestamp and a fresh
// signature), so an attempt sent again at once (after "Retry-After: 0", or
// a caller's transport sending its request again) would otherwise leave
// with the signature of the one before, which a gateway guarding against
// replays refuses.

import (
	"context"
	"net/http"
	"time"
)

// maxStampWait bounds the wait for the next millisecond: one, and a
// timer's lateness. Only a clock set back waits that long, and its
// timestamps then differ from the call's latest anyway.
const maxStampWait = 2 * time.Millisecond

// waitPastMilli returns once the wall clock's Unix millisecond, which the
// SDK's signer stamps (Signer.Now left nil is time.Now), is later than
// last (at once for 0, no signature yet), or after maxStampWait; or with
// ctx's error if it ends first.
func waitPastMilli(ctx context.Context, last int64) error {
	if last == 0 { // nothing signed before: no clock to ask
		return nil
	}
	deadline := time.Now().Add(maxStampWait)
	for {
		now := time.Now()
		switch {
		case now.UnixMilli() > last:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case !now.Before(deadline):
			return nil
		}
		t := time.NewTimer(min(time.UnixMilli(last+1).Sub(now), deadline.Sub(now)))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// signAfresh signs req with sign, the client's signer, in a millisecond
// later than that of the call's latest signature, and records it as the
// latest. Signatures of one attempt are made one at a time, so that two
// copies signed at once (a caller's transport sending on two connections)
// do not share one either.
func (s *signedSecrets) signAfresh(req *http.Request, sign func(*http.Request) error) error {
	s.stampMu.Lock()
	defer s.stampMu.Unlock()
	if err := waitPastMilli(req.Context(), s.lastMilli); err != nil {
		return err
	}
	if err := sign(req); err != nil {
		return err
	}
	// Read after signing: no earlier than the signer's own stamp.
	s.lastMilli = time.Now().UnixMilli()
	return nil
}

// latestMilli returns the Unix millisecond of the call's latest signature
// with the client's keys, up to this attempt's, or 0 for none.
func (s *signedSecrets) latestMilli() int64 {
	s.stampMu.Lock()
	defer s.stampMu.Unlock()
	return s.lastMilli
}
