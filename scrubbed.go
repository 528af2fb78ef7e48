package scpvpn

// This file holds scrubbedError: a call's error in whose chain a secret of
// the call appeared (a transport's message quoting what a server sent),
// reported without it, and without handing out the chain that holds it.

import (
	"errors"
	"reflect"

	"github.com/scpsdk/scpvpn/internal/redact"
)

// scrubbed returns err, or a *scrubbedError when err or an error in its
// chain says one of scrub's secrets.
func scrubbed(err error, scrub *redact.Scrubber) error {
	if scrub.Empty() || clean(err, scrub) {
		return err
	}
	return &scrubbedError{msg: scrub.String(err.Error()), err: err, scrub: scrub}
}

// scrubbedError is an error whose chain says a secret: its message is the
// chain's top message with every secret replaced, and it has no Unwrap,
// so that nothing that walks the chain (errors.Unwrap, an error reporter
// that records every message it finds, as sentry-go does) gets the
// secret back. Matching still sees the chain:
//
//   - errors.Is matches every error of the chain, such as
//     context.DeadlineExceeded or ErrUnexpectedAnswer: a match reveals
//     nothing;
//   - errors.As finds, in errors.As's own order, the first error of the
//     chain of the type asked for whose message, and every message below
//     it, holds no secret: an *APIError (scrubbed already), a net.Error
//     that timed out, an *AttemptTimeoutError... An error that says a
//     secret is never handed out, though errors.Is still matches it.
type scrubbedError struct {
	msg   string
	err   error
	scrub *redact.Scrubber
}

func (e *scrubbedError) Error() string { return e.msg }

// Is matches the errors of the chain.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }

// As sets target to the first error of the chain that it can hold and
// that says no secret, nor does anything below it (see scrubbedError).
func (e *scrubbedError) As(target any) bool {
	val := reflect.ValueOf(target)
	if val.Kind() != reflect.Pointer || val.IsNil() {
		return false // errors.As has refused it already
	}
	want := val.Type().Elem()
	return walk(e.err, func(x error) bool {
		if !clean(x, e.scrub) {
			return false // what it wraps may be clean
		}
		if reflect.TypeOf(x).AssignableTo(want) {
			val.Elem().Set(reflect.ValueOf(x))
			return true
		}
		// An error of the chain that finds its own matches (an As method)
		// is asked into a scratch target, kept only if what it gave is an
		// error that says no secret.
		if as, ok := x.(interface{ As(any) bool }); ok {
			scratch := reflect.New(want)
			if as.As(scratch.Interface()) {
				if got, ok := scratch.Elem().Interface().(error); ok && clean(got, e.scrub) {
					val.Elem().Set(scratch.Elem())
					return true
				}
			}
		}
		return false
	})
}

// walk calls visit on err and every error it wraps, in the order
// errors.As looks at them (depth first, each before what it wraps), until
// visit returns true; it reports whether one did.
func walk(err error, visit func(error) bool) bool {
	for err != nil {
		if visit(err) {
			return true
		}
		switch x := err.(type) { //nolint:errorlint // walks the chain itself, as errors.As does
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, inner := range x.Unwrap() {
				if walk(inner, visit) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// clean reports whether err and every error it wraps say none of scrub's
// secrets.
func clean(err error, scrub *redact.Scrubber) bool {
	return !walk(err, func(x error) bool {
		msg := x.Error()
		return scrub.String(msg) != msg
	})
}
