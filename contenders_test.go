package scpvpn_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/interleave"
)

// The contenders of the benchmarks in bench_contenders_test.go: the SDK,
// and the same calls written by hand as a user would, once with net/http
// alone and once with resty alone. The hand-written ones sign with
// crypto/hmac, set their seven headers one by one and decode into plain
// structs with time.Time fields.

// plainGateway is what a hand-written client decodes a gateway into.
type plainGateway struct {
	AccountID   string    `json:"account_id"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
	Description string    `json:"description"`
	ID          string    `json:"id"`
	IPAddress   string    `json:"ip_address"`
	IPID        string    `json:"ip_id"`
	IPType      string    `json:"ip_type"`
	ModifiedAt  time.Time `json:"modified_at"`
	ModifiedBy  string    `json:"modified_by"`
	Name        string    `json:"name"`
	State       string    `json:"state"`
	VPCID       string    `json:"vpc_id"`
	VPCName     string    `json:"vpc_name"`
}

type plainGatewayAnswer struct {
	Gateway *plainGateway `json:"vpn_gateway"`
}

type plainGatewayList struct {
	Count    int            `json:"count"`
	Page     int            `json:"page"`
	Size     int            `json:"size"`
	Sort     []string       `json:"sort"`
	Gateways []plainGateway `json:"vpn_gateways"`
}

type plainTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type plainGatewayCreate struct {
	Description string     `json:"description,omitempty"`
	IPAddress   string     `json:"ip_address"`
	IPID        string     `json:"ip_id"`
	IPType      string     `json:"ip_type"`
	Name        string     `json:"name"`
	Tags        []plainTag `json:"tags"`
	VPCID       string     `json:"vpc_id"`
}

type plainGatewaySet struct {
	Description string `json:"description"`
}

// plainClient makes one signed JSON call: body, when not nil, is encoded
// per call, and the answer is decoded into out unless it is nil.
type plainClient interface {
	call(ctx context.Context, method, url string, body, out any) error
}

// setPlainHeaders signs the call with crypto/hmac and sets the seven
// headers every call carries.
func setPlainHeaders(h http.Header, method, url string) {
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(contenderSecretKey))
	_, _ = io.WriteString(mac, method+url+ts+contenderAccessKey+"Openapi")
	h.Set("Scp-Accesskey", contenderAccessKey)
	h.Set("Scp-Timestamp", ts)
	h.Set("Scp-ClientType", "Openapi")
	h.Set("Scp-Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	h.Set("Scp-Api-Version", "vpn 1.1")
	h.Set("Accept", "application/json")
	h.Set("Accept-Language", "en-US")
}

// readPlainAnswer checks the status, decodes the answer into out (unless
// nil) and drains the rest, so that the connection is reused.
func readPlainAnswer(status int, body io.Reader, out any) error {
	if status < 200 || status > 299 {
		msg, _ := io.ReadAll(io.LimitReader(body, 1<<10))
		return fmt.Errorf("status %d: %s", status, msg)
	}
	if out != nil {
		if err := json.NewDecoder(body).Decode(out); err != nil {
			return err
		}
	}
	_, err := io.Copy(io.Discard, body)
	return err
}

// plainHTTP is the contender written with net/http alone.
type plainHTTP struct{ hc *http.Client }

func (p plainHTTP) call(ctx context.Context, method, url string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	setPlainHeaders(req.Header, method, url)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return readPlainAnswer(resp.StatusCode, resp.Body, out)
}

// plainResty is the contender written with resty alone.
type plainResty struct{ rc *resty.Client }

func (p plainResty) call(ctx context.Context, method, url string, body, out any) error {
	r := p.rc.R().SetContext(ctx).SetDoNotParseResponse(true)
	setPlainHeaders(r.Header, method, url)
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r.Header.Set("Content-Type", "application/json")
		r.SetBody(b)
	}
	res, err := r.Execute(method, url)
	if err != nil {
		return err
	}
	raw := res.RawBody()
	defer raw.Close()
	return readPlainAnswer(res.StatusCode(), raw, out)
}

// contenderClients are one client of each kind, for one server.
type contenderClients struct {
	base    string
	sdk     *scpvpn.Client
	netHTTP plainHTTP
	resty   plainResty
}

// newContenderClients builds the three clients. Sequential ones use what
// each gives by default: for the hand-written ones, &http.Client{} on Go's
// default transport. For concurrent calls (parallel) the hand-written ones
// get a transport of their own with the connection limits of the SDK's
// default one; Go's default keeps only two idle connections per host.
func newContenderClients(tb testing.TB, srv *contenderServer, parallel bool) *contenderClients {
	tb.Helper()
	sdk, err := scpvpn.NewClient(scpvpn.WithEndpoint(srv.URL), scpvpn.WithCredentials(contenderAccessKey, contenderSecretKey))
	require.NoError(tb, err)
	hc := func() *http.Client {
		if !parallel {
			return &http.Client{}
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns, t.MaxIdleConnsPerHost = 100, 64
		return &http.Client{Transport: t}
	}
	c := &contenderClients{
		base:    srv.URL,
		sdk:     sdk,
		netHTTP: plainHTTP{hc()},
		resty:   plainResty{resty.NewWithClient(hc()).SetRetryCount(0)},
	}
	tb.Cleanup(func() {
		c.sdk.CloseIdleConnections()
		c.netHTTP.hc.CloseIdleConnections()
		c.resty.rc.GetClient().CloseIdleConnections()
	})
	return c
}

// contenderCall is one API call as each contender makes it; each checks
// what it decoded.
type contenderCall struct {
	name  string
	sdk   func(ctx context.Context, c *scpvpn.Client) error
	plain func(ctx context.Context, p plainClient, base string) error
}

// contenders returns the three contenders of call, SDK first.
func (c *contenderClients) contenders(ctx context.Context, call contenderCall) []interleave.Contender {
	return []interleave.Contender{
		{Name: "sdk", Call: func() error { return call.sdk(ctx, c.sdk) }},
		{Name: "nethttp", Call: func() error { return call.plain(ctx, c.netHTTP, c.base) }},
		{Name: "resty", Call: func() error { return call.plain(ctx, c.resty, c.base) }},
	}
}

var errWrongAnswer = errors.New("wrong answer")

func checkGatewayID(id string) error {
	if id != contenderGatewayID {
		return fmt.Errorf("%w: gateway %q", errWrongAnswer, id)
	}
	return nil
}

// checkSDKGateway checks what an SDK call returned.
func checkSDKGateway(gw *scpvpn.Gateway, err error) error {
	if err != nil {
		return err
	}
	return checkGatewayID(gw.ID)
}

// contenderCalls are the five gateway calls of version 1.1. Requests are
// built once, from the reference examples, as a caller reusing them would;
// bodies are encoded per call by every contender.
func contenderCalls(tb testing.TB) []contenderCall {
	tb.Helper()
	createJSON := readContenderFixture(tb, "gateway_create_request")
	var sdkCreate scpvpn.GatewayCreateRequest
	require.NoError(tb, json.Unmarshal(createJSON, &sdkCreate))
	var plainCreate plainGatewayCreate
	require.NoError(tb, json.Unmarshal(createJSON, &plainCreate))
	setJSON := readContenderFixture(tb, "gateway_set_request")
	var sdkSet scpvpn.GatewaySetRequest
	require.NoError(tb, json.Unmarshal(setJSON, &sdkSet))
	var plainSet plainGatewaySet
	require.NoError(tb, json.Unmarshal(setJSON, &plainSet))
	listOpts := &scpvpn.GatewayListOptions{Size: contenderListSize}
	listQuery := "?size=" + strconv.Itoa(contenderListSize)
	itemPath := gatewaysURLPath + "/" + contenderGatewayID

	callGateway := func(ctx context.Context, p plainClient, method, url string, body any) error {
		var a plainGatewayAnswer
		if err := p.call(ctx, method, url, body, &a); err != nil {
			return err
		}
		if a.Gateway == nil {
			return fmt.Errorf("%w: no gateway", errWrongAnswer)
		}
		return checkGatewayID(a.Gateway.ID)
	}
	return []contenderCall{
		{
			name: "Get",
			sdk: func(ctx context.Context, c *scpvpn.Client) error {
				return checkSDKGateway(c.V1Dot1.Gateways.Get(ctx, contenderGatewayID))
			},
			plain: func(ctx context.Context, p plainClient, base string) error {
				return callGateway(ctx, p, http.MethodGet, base+itemPath, nil)
			},
		},
		{
			name: "List",
			sdk: func(ctx context.Context, c *scpvpn.Client) error {
				l, err := c.V1Dot1.Gateways.List(ctx, listOpts)
				if err == nil && len(l.Gateways) != contenderListSize {
					return fmt.Errorf("%w: %d gateways", errWrongAnswer, len(l.Gateways))
				}
				return err
			},
			plain: func(ctx context.Context, p plainClient, base string) error {
				var l plainGatewayList
				err := p.call(ctx, http.MethodGet, base+gatewaysURLPath+listQuery, nil, &l)
				if err == nil && len(l.Gateways) != contenderListSize {
					return fmt.Errorf("%w: %d gateways", errWrongAnswer, len(l.Gateways))
				}
				return err
			},
		},
		{
			name: "Create",
			sdk: func(ctx context.Context, c *scpvpn.Client) error {
				return checkSDKGateway(c.V1Dot1.Gateways.Create(ctx, &sdkCreate))
			},
			plain: func(ctx context.Context, p plainClient, base string) error {
				return callGateway(ctx, p, http.MethodPost, base+gatewaysURLPath, &plainCreate)
			},
		},
		{
			name: "Set",
			sdk: func(ctx context.Context, c *scpvpn.Client) error {
				return checkSDKGateway(c.V1Dot1.Gateways.Set(ctx, contenderGatewayID, &sdkSet))
			},
			plain: func(ctx context.Context, p plainClient, base string) error {
				return callGateway(ctx, p, http.MethodPut, base+itemPath, &plainSet)
			},
		},
		{
			name: "Delete",
			sdk: func(ctx context.Context, c *scpvpn.Client) error {
				return c.V1Dot1.Gateways.Delete(ctx, contenderGatewayID)
			},
			plain: func(ctx context.Context, p plainClient, base string) error {
				return p.call(ctx, http.MethodDelete, base+itemPath, nil, nil)
			},
		},
	}
}
