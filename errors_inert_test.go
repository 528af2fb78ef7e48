package scpvpn_test

// What a hostile or broken server puts in its error answer (new lines,
// terminal escapes, bidirectional overrides) reaches an APIError's message
// only as inert escapes: the message is one line, and nothing in it acts
// on the log or the terminal it is written to.

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
)

func TestAPIErrorQuotesWhatTheServerSentInert(t *testing.T) {
	t.Parallel()
	hostile := "bad\nlevel=ERROR msg=\"forged line\"\r\x1b[2J\x1b]0;title\x07\u009b31m\u202efdp.exe\u2066x\u2069\u2028end\tof\x7f"
	detail, err := json.Marshal(hostile)
	require.NoError(t, err)
	for name, body := range map[string]string{
		"details":    `{"errors":[{"code":"Invalid","detail":` + string(detail) + `}]}`,
		"plain text": hostile,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mock := httpmock.NewMockTransport()
			c := newClient(t, mock)
			mock.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(http.StatusBadRequest, body)
				resp.Header.Set("X-Request-Id", "id\x1b[31m\u202e\n1")
				return resp, nil
			})
			_, err := c.V1Dot1.Gateways.Get(context.Background(), "gw1")
			var apiErr *scpvpn.APIError
			require.ErrorAs(t, err, &apiErr)
			msg := apiErr.Error()
			for _, r := range msg {
				if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x2028 || r == 0x2029 ||
					r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c {
					t.Errorf("the message of an APIError holds %U from the server's answer as it is: %q", r, msg)
				}
			}
			assert.NotContains(t, err.Error(), "\n", "the error of the call is one line")
			assert.Contains(t, msg, `\u001b[31m\u202e\u000a1`, "the request id is quoted, escaped")
			if name == "details" {
				assert.Contains(t, err.Error(), "forged line", "the wrapping error says it too, as inert")
				assert.Contains(t, msg, `bad\u000alevel=ERROR msg="forged line"\u000d\u001b[2J`, "the details show, escaped")
				assert.Equal(t, []string{"Invalid: " + hostile}, apiErr.Details, "Details keep the text as the server sent it")
			}
		})
	}
}

func TestAPIErrorOfAPlainAnswerIsUnchanged(t *testing.T) {
	t.Parallel()
	e := &scpvpn.APIError{StatusCode: http.StatusConflict, Method: http.MethodDelete, URL: "https://vpn.example.test/v1/vpn-gateways/gw1",
		Details: []string{"Conflict: gateway ‘gw1’ has tunnels — 삭제 불가"}, RequestID: "req-1", Attempts: 2}
	assert.Equal(t, "scpvpn: DELETE /v1/vpn-gateways/gw1: 409 Conflict: Conflict: gateway ‘gw1’ has tunnels — 삭제 불가 (request id req-1, 2 attempts)", e.Error())
	assert.False(t, strings.Contains(e.Error(), `\u`), "printable text, Unicode included, is not escaped")
}
