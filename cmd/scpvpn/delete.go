package main

// This file holds delete: several ids at once, asked about first at a
// terminal, each deletion started before any is awaited, and one exit
// status for all of them.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/scpsdk/scpvpn/internal/validate"
)

// runDelete deletes the resources ids names, asking first when ask is
// set, and with wait waits until every one is gone. A failure does not
// stop the others, but an interruption or the end of --timeout does. With
// one id its error is returned as it is; with several, each is reported
// as it happens and the error returned counts them. The exit status is
// that of every failure, the one that stopped the command included.
func (k *kind[T, C, S]) runDelete(ctx context.Context, ids []string, ask, wait bool) error {
	if ask {
		if err := k.confirmDelete(ctx, ids); err != nil {
			return err
		}
	}
	var failed []error
	var started []string
	fail := func(err error) error {
		switch {
		case len(ids) == 1:
			return err // the only one: reported by the caller
		case ctx.Err() != nil:
			return k.stopped(err, failed, len(ids), len(started))
		}
		k.a.printError(err)
		failed = append(failed, err)
		return nil
	}
	for _, id := range ids {
		if err := k.delete(ctx, id); err != nil {
			if err := fail(err); err != nil {
				return err
			}
			continue
		}
		started = append(started, id)
		if !wait {
			k.a.note("%s %s is being deleted", k.noun, id)
		}
	}
	if wait {
		for _, id := range started {
			if err := k.untilDeleted(ctx, id); err != nil {
				if err := fail(err); err != nil {
					return err
				}
			}
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return &exitError{code: deleteCode(failed, len(started)), err: fmt.Errorf("%d of %d %ss not deleted, or not seen gone: see above", len(failed), len(ids), k.noun)}
}

// stopped is the error of a deletion of n ids that err stopped (an
// interruption, or the end of --timeout) after started of them were sent
// and those of failed had failed. err is returned as the message, which
// says why it stopped; the exit status is that of every failure, err's
// included: an outcome unknown before it must not be hidden by it.
func (k *kind[T, C, S]) stopped(err error, failed []error, n, started int) error {
	if len(failed) == 0 {
		return err
	}
	return &exitError{
		code: deleteCode(append(failed, err), started),
		err:  err,
		hint: fmt.Sprintf("Before that, %d of %d %ss not deleted, or not seen gone: see above.", len(failed), n, k.noun),
	}
}

// deleteCode is the exit status of the failures of a deletion of several
// ids after started of them were sent: theirs (combinedCode), but 1 for
// 2 once any was sent, since status 2 says that nothing was.
func deleteCode(failed []error, started int) int {
	code := combinedCode(failed)
	if code == exitUsage && started > 0 {
		code = exitFailure
	}
	return code
}

// checkIDs refuses, before anything is sent, each id that the SDK
// refuses to put in a path (by the SDK's own rule: "", in a script an
// unset variable, and the dot segments). delete sends the others one
// after the other, and the SDK's refusal of one after some were sent
// would end the command with status 2, which says that nothing was.
func checkIDs(noun string, ids []string) error {
	var bad []string
	for i, id := range ids {
		var p validate.Problems
		p.ID("id", id)
		for _, problem := range p.List {
			switch id {
			case "":
				bad = append(bad, fmt.Sprintf("argument %d %s (an unset variable?)", i+1, problem.Problem))
			default:
				bad = append(bad, fmt.Sprintf("argument %d (%q) %s", i+1, id, problem.Problem))
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("invalid %s id: %s; nothing was deleted", noun, strings.Join(bad, "; "))
}

// confirmDelete asks the person at the terminal whether to delete ids,
// and returns an error unless they say yes: nothing was sent, status 2.
func (k *kind[T, C, S]) confirmDelete(ctx context.Context, ids []string) error {
	what := k.noun + " " + ids[0]
	if len(ids) > 1 {
		what = fmt.Sprintf("%d %ss (%s)", len(ids), k.noun, strings.Join(ids, ", "))
	}
	question := k.a.scrub.clean("Delete " + what + "?")
	yes, err := confirm(ctx, k.a.stdin, k.a.stderr, question)
	switch {
	case err != nil:
		return err
	case !yes:
		return &exitError{code: exitUsage, err: errors.New("nothing deleted: not confirmed"), hint: "Give --yes to delete without being asked."}
	}
	return nil
}

// combinedCode is the exit status of several failures: 5 when the outcome
// of any is unknown (it may have been done: that must not be hidden),
// theirs when they all have the same, 1 otherwise.
func combinedCode(errs []error) int {
	code := codeOf(errs[0])
	for _, err := range errs {
		c := codeOf(err)
		if c == exitUnknown {
			return exitUnknown
		}
		if c != code {
			code = exitFailure
		}
	}
	return code
}
