// Package redact hides secrets in what the SDK logs or prints.
package redact

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Placeholder replaces every secret.
const Placeholder = "[REDACTED]"

// sensitiveKeys are JSON object keys whose values are secrets, lower case.
var sensitiveKeys = map[string]bool{
	"pre_shared_key": true,
	"secret_key":     true,
	"secretkey":      true,
	"password":       true,
	"signature":      true,
	"token":          true,
}

// JSON returns body with the value of every sensitive key, at any depth,
// replaced by Placeholder. A body that is not JSON is not shown at all,
// because nothing can tell what in it is secret.
func JSON(body []byte) string {
	if len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "[body of " + strconv.Itoa(len(body)) + " bytes that is not JSON]"
	}
	out, err := json.Marshal(scrub(v))
	if err != nil {
		return "[body of " + strconv.Itoa(len(body)) + " bytes]"
	}
	return string(out)
}

func scrub(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if sensitiveKeys[strings.ToLower(k)] {
				v[k] = Placeholder
				continue
			}
			v[k] = scrub(x)
		}
	case []any:
		for i, x := range v {
			v[i] = scrub(x)
		}
	}
	return v
}
