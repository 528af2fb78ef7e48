package main

// This file holds the exit statuses, which error gets which, and how an
// error is reported on standard error.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/scpsdk/scpvpn"
)

// Exit statuses, for scripts to branch on.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2 // nothing was sent
	exitNotFound = 3
	exitAuth     = 4 // not authenticated, or not allowed
	exitUnknown  = 5 // a write that may have been done
	// exitOutputFailed is a write that was done, whose result could not
	// be printed as asked (--jq or --template failed on it at run time),
	// or a create that was done whose --wait failed: the id of what it
	// did is on standard error.
	exitOutputFailed = 6
)

// exitError is an error with the exit status it ends the command with.
type exitError struct {
	code int
	err  error
	// hint is a line after the message that says what to do; a usage
	// error without one points to --help.
	hint string
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as a usage error (exit status 2).
func usageError(err error) error { return &exitError{code: exitUsage, err: err} }

// action wraps what a command does, so that every error it returns carries
// its exit status. An error without one comes from cobra itself, before
// the command ran: a usage error.
func action(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := fn(cmd, args)
		var ee *exitError
		if err == nil || errors.As(err, &ee) {
			return err
		}
		return &exitError{code: exitCode(err), err: err}
	}
}

// exitCode is the exit status of an error of the SDK: 5 for a write whose
// outcome is unknown (first: it may have been done, whatever else went
// wrong), 3 for a gateway or tunnel that does not exist, 4 for a key pair
// refused (401) or not allowed (403), 2 for a request the SDK refused
// before sending it, 1 otherwise.
func exitCode(err error) int {
	var verr *scpvpn.ValidationError
	switch {
	case errors.Is(err, scpvpn.ErrOutcomeUnknown):
		return exitUnknown
	case errors.Is(err, scpvpn.ErrNotFound):
		return exitNotFound
	case errors.Is(err, scpvpn.ErrUnauthorized), errors.Is(err, scpvpn.ErrForbidden), errors.Is(err, scpvpn.ErrNoCredentials):
		return exitAuth
	case errors.As(err, &verr):
		return exitUsage
	}
	return exitFailure
}

// codeOf returns the exit status err ends the command with.
func codeOf(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitCode(err)
}

// report prints err on standard error and returns its exit status. cmd is
// the command that failed, for the hint after a usage error.
func (a *app) report(cmd *cobra.Command, err error) int {
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	a.printError(err)
	var unknown *scpvpn.OutcomeUnknownError
	if errors.As(err, &unknown) {
		a.printCandidates(unknown)
	}
	switch {
	case ee != nil && ee.hint != "":
		fmt.Fprintln(a.stderr, a.scrub.clean(ee.hint)) // it may name what the server sent
	case code == exitUsage && cmd != nil:
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// printError prints the line that reports err. The message holds what the
// server sent: it is made safe for a terminal.
func (a *app) printError(err error) {
	fmt.Fprintln(a.stderr, a.scrub.clean(message(err)))
}

// message is the line that reports err: the SDK's message, which holds the
// API's status, details and request id, with the API's error code added
// when the details do not already show it. An endpoint the IAM catalog
// gave, or could not give, is told in flags and variables.
func message(err error) string {
	msg := err.Error()
	if errors.Is(err, scpvpn.ErrNoEndpoint) || errors.Is(err, scpvpn.ErrInvalidEndpoint) {
		msg = operatorWords.Replace(msg)
	}
	if !strings.HasPrefix(msg, "scpvpn: ") {
		msg = "scpvpn: " + msg
	}
	var apiErr *scpvpn.APIError
	if errors.As(err, &apiErr) && apiErr.Code != "" && !strings.Contains(msg, apiErr.Code) {
		msg += " [code " + apiErr.Code + "]"
	}
	return msg
}
