package chaos

// The answers the proxy makes up itself: errors as the service or a
// gateway writes them, a proxy's 404 for a path it does not route, and
// bodies a client cannot decode.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// proxyAnswer is an answer the proxy makes itself: JSON error bodies as
// the service writes them for 429, 500 and 503, and an HTML page as a
// gateway writes it for 502 and 504.
func proxyAnswer(status, retryAfter int, requestID string) *answer {
	h := http.Header{"X-Request-Id": {requestID}}
	var body string
	switch status {
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		h.Set("Content-Type", "text/html")
		body = htmlPage(status)
	default:
		h.Set("Content-Type", "application/json")
		code := strings.ReplaceAll(http.StatusText(status), " ", "")
		body = fmt.Sprintf(`{"errors":[{"code":%q,"detail":"injected by the chaos proxy"}]}`, code)
	}
	if status == http.StatusTooManyRequests {
		h.Set("Retry-After", strconv.Itoa(retryAfter))
	}
	return &answer{status: statusLine(status), code: status, header: h, body: []byte(body)}
}

// htmlPage is the page a gateway writes for status.
func htmlPage(status int) string {
	return fmt.Sprintf("<html><head><title>%[1]d %[2]s</title></head><body><h1>%[1]d %[2]s</h1></body></html>\n", status, http.StatusText(status))
}

func statusLine(status int) string {
	return fmt.Sprintf("%d %s", status, http.StatusText(status))
}

// notRoutedPages are the 404s of proxies for a path they do not route:
// an empty body, Go's own plain-text page, an HTML page. None is the API's
// error body, and none carries the service's request id.
var notRoutedPages = []struct{ detail, contentType, body string }{
	{"empty", "", ""},
	{"text", "text/plain; charset=utf-8", "404 page not found\n"},
	{"html", "text/html", htmlPage(http.StatusNotFound)},
}

// notRoutedAnswer is the 404 of notRoutedPages[variant], and which it is.
func notRoutedAnswer(variant int) (*answer, string) {
	page := notRoutedPages[variant%len(notRoutedPages)]
	h := http.Header{}
	if page.contentType != "" {
		h.Set("Content-Type", page.contentType)
	}
	return &answer{status: statusLine(http.StatusNotFound), code: http.StatusNotFound, header: h, body: []byte(page.body)}, page.detail
}

// undecodableVariants is the number of ways undecodableAnswer spoils an
// answer.
const undecodableVariants = 3

// undecodableAnswer is up with a body the client cannot decode, as
// pl.variant chooses: "{}" (JSON, but holding nothing), an HTML page, or
// up's body cut short at pl.cut (and announced at that length, so that it
// reads whole). It returns which it is.
func undecodableAnswer(up *answer, pl plan) (*answer, string) {
	a := &answer{status: up.status, code: up.code, header: up.header.Clone()}
	switch pl.variant % undecodableVariants {
	case 0:
		a.body = []byte("{}")
		return a, "{}"
	case 1:
		a.header.Set("Content-Type", "text/html")
		a.body = []byte(htmlPage(up.code))
		return a, "html"
	}
	a.body = up.body[:int(pl.cut*float64(len(up.body)))]
	return a, "cut"
}
