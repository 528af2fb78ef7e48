package scpvpn

// Every Secret of every exported type is hidden from fmt and slog. The
// Secret fields are found by reflection in each exported type of the
// package, and the list of those types is checked against the package's
// source: a new type, or a new Secret field in an old one, is walked
// without being named here, and fails until it redacts itself.
// secretfields_errors_internal_test.go takes the same Secrets through the
// error paths.

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exportedTypes are the package's exported types, every one of which the
// Secret tests walk. TestExportedTypesAreAllWalked keeps the list whole.
var exportedTypes = []reflect.Type{
	reflect.TypeFor[APIError](), reflect.TypeFor[CallOption](), reflect.TypeFor[Client](),
	reflect.TypeFor[FieldError](), reflect.TypeFor[Gateway](), reflect.TypeFor[GatewayCreateRequest](),
	reflect.TypeFor[GatewayList](), reflect.TypeFor[GatewayListOptions](), reflect.TypeFor[GatewayQuota](),
	reflect.TypeFor[GatewayQuotaOptions](), reflect.TypeFor[GatewayService](), reflect.TypeFor[GatewaySetRequest](),
	reflect.TypeFor[IPType](), reflect.TypeFor[Option](), reflect.TypeFor[OutcomeUnknownError](),
	reflect.TypeFor[PerfectForwardSecrecy](), reflect.TypeFor[Request](), reflect.TypeFor[ResourceFailedError](),
	reflect.TypeFor[Response](), reflect.TypeFor[RetryPolicy](), reflect.TypeFor[Secret](),
	reflect.TypeFor[Signer](), reflect.TypeFor[State](), reflect.TypeFor[SubnetAvailability](),
	reflect.TypeFor[SubnetAvailabilityStatus](), reflect.TypeFor[Tag](), reflect.TypeFor[Tunnel](),
	reflect.TypeFor[TunnelCreateRequest](), reflect.TypeFor[TunnelCreateRequestV1Dot1](), reflect.TypeFor[TunnelList](),
	reflect.TypeFor[TunnelListOptions](), reflect.TypeFor[TunnelListOptionsV1Dot1](), reflect.TypeFor[TunnelListV1Dot1](),
	reflect.TypeFor[TunnelPhase1](), reflect.TypeFor[TunnelPhase1CreateRequest](), reflect.TypeFor[TunnelPhase1SetRequest](),
	reflect.TypeFor[TunnelPhase2](), reflect.TypeFor[TunnelPhase2CreateRequest](), reflect.TypeFor[TunnelPhase2CreateRequestV1Dot1](),
	reflect.TypeFor[TunnelPhase2SetRequest](), reflect.TypeFor[TunnelPhase2SetRequestV1Dot1](), reflect.TypeFor[TunnelPhase2V1Dot1](),
	reflect.TypeFor[TunnelQuota](), reflect.TypeFor[TunnelQuotaOptions](), reflect.TypeFor[TunnelService](),
	reflect.TypeFor[TunnelServiceV1Dot1](), reflect.TypeFor[TunnelSetRequest](), reflect.TypeFor[TunnelSetRequestV1Dot1](),
	reflect.TypeFor[TunnelStatus](), reflect.TypeFor[TunnelV1Dot1](), reflect.TypeFor[V1Dot0Services](),
	reflect.TypeFor[V1Dot1Services](), reflect.TypeFor[ValidationError](), reflect.TypeFor[WaitPolicy](),
}

// TestExportedTypesAreAllWalked reads the package's source for its
// exported types: each must be in exportedTypes.
func TestExportedTypesAreAllWalked(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, typ := range exportedTypes {
		listed[typ.Name()] = true
	}
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	declared := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if n := s.(*ast.TypeSpec).Name; n.IsExported() {
					declared++
					assert.True(t, listed[n.Name], "%s declares the exported type %s: add it to exportedTypes, so that the Secret tests walk it", name, n.Name)
				}
			}
		}
	}
	assert.Equal(t, len(exportedTypes), declared, "every type of exportedTypes is declared once")
}

// secretPath is where a type holds a Secret.
type secretPath struct {
	field
	through  []reflect.Type // the structs on the way, from the top
	settable bool           // through exported fields and pointers only
}

// secretPaths returns every place a value of typ holds a Secret, through
// its fields (exported or not), pointers, slices, arrays and maps. The
// structs of other packages cannot hold one (they cannot import this one).
func secretPaths(typ reflect.Type) []secretPath {
	secret := reflect.TypeFor[Secret]()
	var out []secretPath
	var walk func(t reflect.Type, p secretPath, stack []reflect.Type)
	walk = func(t reflect.Type, p secretPath, stack []reflect.Type) {
		if t == secret {
			out = append(out, p)
			return
		}
		if slices.Contains(stack, t) {
			return
		}
		stack = append(stack, t)
		switch t.Kind() {
		case reflect.Pointer:
			walk(t.Elem(), p, stack)
		case reflect.Slice, reflect.Array, reflect.Map:
			p.settable = false
			p.name += "[]"
			if t.Kind() == reflect.Map {
				walk(t.Key(), p, stack)
			}
			walk(t.Elem(), p, stack)
		case reflect.Struct:
			if t.PkgPath() != ownPackage {
				return
			}
			for i := range t.NumField() {
				f := t.Field(i)
				q := secretPath{
					field:    field{index: append(slices.Clone(p.index), i), name: joinPath(p.name, f.Name), json: joinPath(p.json, jsonName(f))},
					through:  append(slices.Clone(p.through), t),
					settable: p.settable && f.IsExported(),
				}
				walk(f.Type, q, stack)
			}
		}
	}
	walk(typ, secretPath{settable: true}, nil)
	return out
}

// secretHolders are the exported types that hold a Secret, with where.
func secretHolders(t *testing.T) map[reflect.Type][]secretPath {
	out := map[reflect.Type][]secretPath{}
	for _, typ := range exportedTypes {
		if ps := secretPaths(typ); len(ps) > 0 {
			out[typ] = ps
		}
	}
	require.Contains(t, out, reflect.TypeFor[TunnelPhase1SetRequest](), "the walk finds the pre-shared key")
	return out
}

// withSecrets returns an addressable value of typ whose Secrets hold
// secret, each with a suffix of its own (A, B, ...) so that hiding one
// cannot hide another, and those values: typ's valid fixture if it has one,
// else the zero value.
func withSecrets(t *testing.T, typ reflect.Type, paths []secretPath, secret string) (reflect.Value, []string) {
	t.Helper()
	v := reflect.New(typ).Elem()
	if r, ok := validRequests()[typ]; ok {
		copyStruct(v, reflect.ValueOf(r).Elem())
	}
	var secrets []string
	for i, p := range paths {
		if !p.settable {
			t.Errorf("%s holds a Secret at %s, behind a slice, a map or an unexported field: extend this test to set it", typ, p.name)
			continue
		}
		s := secret + string(rune('A'+i))
		at(v, p.index, true).SetString(s)
		secrets = append(secrets, s)
	}
	return v, secrets
}

// leakedForm returns the form in which one of secrets shows in text, or "".
func leakedForm(text string, secrets []string) string {
	for _, s := range secrets {
		for _, form := range []string{s, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s)))} {
			if strings.Contains(text, form) {
				return form
			}
		}
	}
	return ""
}

// secretVerbs are the fmt verbs and flags a caller may print a value with.
var secretVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "% x", "%#x", "%10s", "%-40v", "%.100s", "%#q", "%T"}

// holders returns the ways a caller may hold a value v of a type: the
// value, a pointer to it, in slices and maps, and in a struct of its own.
func holders(v reflect.Value) map[string]any {
	typ, ptr := v.Type(), v.Addr()
	mapOf := func(elem reflect.Value) any {
		m := reflect.MakeMap(reflect.MapOf(reflect.TypeFor[string](), elem.Type()))
		m.SetMapIndex(reflect.ValueOf("k"), elem)
		return m.Interface()
	}
	caller := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "Value", Type: typ}, {Name: "Pointer", Type: ptr.Type()}})).Elem()
	caller.Field(0).Set(v)
	caller.Field(1).Set(ptr)
	return map[string]any{
		"value":            v.Interface(),
		"pointer":          ptr.Interface(),
		"slice":            reflect.Append(reflect.MakeSlice(reflect.SliceOf(typ), 0, 1), v).Interface(),
		"slice of pointer": reflect.Append(reflect.MakeSlice(reflect.SliceOf(ptr.Type()), 0, 1), ptr).Interface(),
		"map":              mapOf(v),
		"map of pointer":   mapOf(ptr),
		"caller's struct":  caller.Interface(),
	}
}

func TestEverySecretIsHiddenFromFmtAndSlog(t *testing.T) {
	t.Parallel()
	const secret = "Walked-Secret-Value-4711"
	for typ, paths := range secretHolders(t) {
		t.Run(typ.Name(), func(t *testing.T) {
			t.Parallel()
			v, secrets := withSecrets(t, typ, paths, secret)
			wire, err := json.Marshal(v.Interface())
			require.NoError(t, err)
			for _, s := range secrets {
				require.Contains(t, string(wire), s, "the value holds the secret, and JSON carries it to the API")
			}

			for how, x := range holders(v) {
				for _, verb := range secretVerbs {
					out := fmt.Sprintf(verb, x)
					if form := leakedForm(out, secrets); form != "" {
						t.Errorf("%s, as a %s, under %s shows %q: %s", typ, how, verb, form, out)
					}
				}
				out := fmt.Sprint(x) + fmt.Sprintln(x) + fmt.Errorf("wrapped: %v", x).Error()
				if form := leakedForm(out, secrets); form != "" {
					t.Errorf("%s, as a %s, printed or wrapped shows %q: %s", typ, how, form, out)
				}
			}

			// slog resolves a LogValuer given as an attribute's value, but
			// encodes what is inside a slice or a map as it is: the text
			// handler with %+v, which redacts; the JSON handler as JSON,
			// which carries the real value (Secret's documentation says
			// so), and is left out here.
			h := holders(v)
			for name, handler := range map[string]func(*strings.Builder) slog.Handler{
				"json": func(b *strings.Builder) slog.Handler { return slog.NewJSONHandler(b, nil) },
				"text": func(b *strings.Builder) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var out strings.Builder
				l := slog.New(handler(&out))
				attrs := []any{slog.Any("value", h["value"]), slog.Any("pointer", h["pointer"]),
					slog.Group("group", slog.Any("value", h["value"]), slog.Any("pointer", h["pointer"]))}
				if name == "text" {
					attrs = append(attrs, slog.Any("slice", h["slice"]), slog.Any("pointers", h["slice of pointer"]),
						slog.Any("map", h["map"]), slog.Any("caller", h["caller's struct"]))
				}
				l.Info("value", attrs...)
				l.With(slog.Any("with", h["value"]), slog.Any("with-pointer", h["pointer"])).Info("with")
				if form := leakedForm(out.String(), secrets); form != "" {
					t.Errorf("%s in slog's %s handler shows %q: %s", typ, name, form, out.String())
				}
				assert.Contains(t, out.String(), redactedText, "%s in slog's %s handler says where the secret was", typ, name)
			}
		})
	}
}
