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

// Exit statuses.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotFound = 3
)

// exitError is an error with the exit status it ends the command with.
type exitError struct {
	code int
	err  error
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

// exitCode is the exit status of an error of the SDK: 3 for a gateway or
// tunnel that does not exist, 2 for a request the SDK refused before
// sending it, 1 otherwise.
func exitCode(err error) int {
	var verr *scpvpn.ValidationError
	switch {
	case errors.Is(err, scpvpn.ErrNotFound):
		return exitNotFound
	case errors.As(err, &verr):
		return exitUsage
	}
	return exitFailure
}

// report prints err on standard error and returns its exit status. cmd is
// the command that failed, for the hint after a usage error.
func (a *app) report(cmd *cobra.Command, err error) int {
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	// The message holds what the server sent: made safe for a terminal.
	fmt.Fprintln(a.stderr, a.scrub.clean(message(err)))
	if code == exitUsage && cmd != nil {
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	switch {
	case errors.Is(err, scpvpn.ErrNoEndpoint):
		fmt.Fprintln(a.stderr, "Set what is missing as above, or give the endpoint with --endpoint; 'scpvpn --help' lists the variables.")
	case errors.Is(err, scpvpn.ErrNoCredentials):
		fmt.Fprintln(a.stderr, "Set what is missing as above; 'scpvpn --help' lists the variables.")
	}
	return code
}

// message is the line that reports err: the SDK's message, which holds the
// API's status, details and request id, with the API's error code added
// when the details do not already show it.
func message(err error) string {
	msg := err.Error()
	if !strings.HasPrefix(msg, "scpvpn: ") {
		msg = "scpvpn: " + msg
	}
	var apiErr *scpvpn.APIError
	if errors.As(err, &apiErr) && apiErr.Code != "" && !strings.Contains(msg, apiErr.Code) {
		msg += " [code " + apiErr.Code + "]"
	}
	return msg
}
