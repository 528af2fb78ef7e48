package main

// This file holds how the command reports a write whose outcome is
// unknown (exit status 5): the resources the SDK read back that may be its
// doing, so that the operator checks them before retrying.

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/scpsdk/scpvpn"
)

// candidate is what the command shows of a resource that may be the doing
// of a write whose outcome is unknown.
type candidate struct {
	noun                     string
	id, name, state, created string
}

// candidateOf returns what the command shows of v, one of the SDK's
// resources.
func candidateOf(v any) candidate {
	switch r := v.(type) {
	case *scpvpn.Gateway:
		return candidate{"VPN gateway", r.ID, r.Name, string(r.State), createdAt(r.CreatedAt)}
	case *scpvpn.TunnelV1Dot1:
		return candidate{"VPN tunnel", r.ID, r.Name, string(r.State), createdAt(r.CreatedAt)}
	case *scpvpn.Tunnel:
		return candidate{"VPN tunnel", r.ID, r.Name, string(r.State), createdAt(r.CreatedAt)}
	}
	return candidate{noun: fmt.Sprintf("%T", v)}
}

// createdAt is a creation time as the table shows it.
func createdAt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// printCandidates lists on standard error the resources that may be the
// doing of the write e reports, and says to check them before retrying.
func (a *app) printCandidates(e *scpvpn.OutcomeUnknownError) {
	if len(e.Candidates) == 0 {
		fmt.Fprintln(a.stderr, "scpvpn: reading back found nothing that may be its doing; it may still have been done, and not be listed yet.")
		fmt.Fprintln(a.stderr, "Check before retrying (list by name): a retry may do it twice.")
		return
	}
	rows := make([]candidate, len(e.Candidates))
	for i, v := range e.Candidates {
		rows[i] = candidateOf(v)
	}
	noun := rows[0].noun
	if len(rows) > 1 {
		noun += "s"
	}
	fmt.Fprintf(a.stderr, "scpvpn: reading back found %d %s that may be its doing:\n", len(rows), noun)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
	line := func(cells ...string) {
		for i, c := range cells {
			if c = a.scrub.clean(c); c == "" {
				c = "-"
			}
			cells[i] = c
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	line("ID", "NAME", "STATE", "CREATED")
	for _, c := range rows {
		line(c.id, c.name, c.state, c.created)
	}
	_ = tw.Flush() // into a bytes.Buffer: cannot fail
	_, _ = a.stderr.Write(buf.Bytes())
	fmt.Fprintln(a.stderr, "Check them (get ID) before retrying: a retry may do it twice.")
}
