package apischema

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the normalised copy from the official document, with
// go test ./internal/testkit/apischema -run TestNormalisedCopy -update .
var update = flag.Bool("update", false, "rewrite testdata/openapi/vpn-1.0.yaml from vpn-1.0.official.yaml")

var openapiDir = filepath.Join("..", "..", "..", "testdata", "openapi")

// The copy the tests validate with is the official document, normalised
// and changed in no other way.
func TestNormalisedCopy(t *testing.T) {
	official, err := os.ReadFile(filepath.Join(openapiDir, "vpn-1.0.official.yaml"))
	require.NoError(t, err)
	want, err := Normalise(official)
	require.NoError(t, err)
	copyPath := filepath.Join(openapiDir, "vpn-1.0.yaml")
	if *update {
		require.NoError(t, os.WriteFile(copyPath, want, 0o644))
	}
	got, err := os.ReadFile(copyPath)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "vpn-1.0.yaml is not the normalised official document; run with -update")

	// The official one is not OpenAPI 3.1, which is why the copy exists.
	_, err = New(map[string]string{"vpn 1.0": filepath.Join(openapiDir, "vpn-1.0.official.yaml")})
	require.ErrorContains(t, err, "got string, want boolean")
	_, err = New(map[string]string{"vpn 1.0": copyPath})
	require.NoError(t, err)
}

func TestNormalise(t *testing.T) {
	in := `openapi: 3.1.0
paths:
  /x:
    get:
      parameters:
      - name: size
        in: query
        required: 'false'
        explode: "true"
        example: '20'
        schema:
          minimum: '0'
          maxLength: '7'
          nullable: 'true'
          type: integer
components:
  schemas:
    A:
      properties:
        required:
          type: string
        b:
          nullable: 'false'
          type: string
        c:
          type: string
          example: 'true'
      required:
      - b
`
	want := `openapi: 3.1.0
paths:
  /x:
    get:
      parameters:
      - name: size
        in: query
        required: false
        explode: true
        example: '20'
        schema:
          minimum: 0
          maxLength: 7
          type: [integer, 'null']
components:
  schemas:
    A:
      properties:
        required:
          type: string
        b:
          type: string
        c:
          type: string
          example: 'true'
      required:
      - b
`
	got, err := Normalise([]byte(in))
	require.NoError(t, err)
	assert.Equal(t, want, string(got))

	for name, bad := range map[string]string{
		"nullable without a type": "a:\n  nullable: 'true'\n  $ref: '#/x'\n",
		"a list of types":         "a:\n  nullable: 'true'\n  type: [string]\n",
		"a value on another line": "a:\n  required:\n    'true'\n",
		"not YAML":                "a: [",
	} {
		_, err := Normalise([]byte(bad))
		assert.Error(t, err, name)
	}
}
