package chaos

// HTTP/1.1 on the wire: requests are read as the bytes that came, so that
// they are forwarded exactly (the signature covers the URL); answers are
// read whole from the upstream and written again with a Content-Length,
// so that they can be cut.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const (
	// maxHead bounds a request's line and headers.
	maxHead = 1 << 20
	// maxBody bounds a request's or an answer's body.
	maxBody = 64 << 20
)

// request is one HTTP/1.1 request as it came off the wire.
type request struct {
	raw    []byte // the request line, headers and body, byte for byte
	method string
	target string // the request target, as sent
	body   []byte // the body as sent (chunk framing included)
	tag    string // the value of Config.TagHeader
	close  bool   // the client asked for the connection to be closed
}

// readRequest reads one request from br, and the value of its tagHeader
// ("" for none).
func readRequest(br *bufio.Reader, tagHeader string) (*request, error) {
	var head []byte
	for {
		line, err := readLine(br, maxHead-len(head))
		if err != nil {
			return nil, err
		}
		if len(head) == 0 && isBlank(line) {
			continue // blank lines before a request are allowed
		}
		head = append(head, line...)
		if isBlank(line) {
			break
		}
	}
	hr, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
	if err != nil {
		return nil, fmt.Errorf("chaos: malformed request: %w", err)
	}
	req := &request{method: hr.Method, target: hr.RequestURI, close: hr.Close}
	if tagHeader != "" {
		req.tag = hr.Header.Get(tagHeader)
	}
	switch {
	case len(hr.TransferEncoding) > 0:
		if req.body, err = readChunked(br); err != nil {
			return nil, err
		}
	case hr.ContentLength > maxBody:
		return nil, fmt.Errorf("chaos: request body of %d bytes is too large", hr.ContentLength)
	case hr.ContentLength > 0:
		req.body = make([]byte, hr.ContentLength)
		if _, err := io.ReadFull(br, req.body); err != nil {
			return nil, err
		}
	}
	req.raw = append(head, req.body...)
	return req, nil
}

// readLine reads up to and including the next "\n", at most limit bytes.
func readLine(br *bufio.Reader, limit int) ([]byte, error) {
	var line []byte
	for {
		part, err := br.ReadSlice('\n')
		line = append(line, part...)
		if len(line) > limit {
			return nil, errors.New("chaos: request head too large")
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return line, err
		}
	}
}

func isBlank(line []byte) bool {
	return string(line) == "\r\n" || string(line) == "\n"
}

// readChunked reads a chunked body, framing and trailers included.
func readChunked(br *bufio.Reader) ([]byte, error) {
	var raw []byte
	for {
		line, err := readLine(br, maxHead)
		if err != nil {
			return nil, err
		}
		raw = append(raw, line...)
		sizeText, _, _ := strings.Cut(strings.TrimSpace(string(line)), ";")
		size, err := strconv.ParseInt(sizeText, 16, 64)
		if err != nil || size < 0 || int64(len(raw))+size > maxBody {
			return nil, fmt.Errorf("chaos: bad chunk size %q", sizeText)
		}
		if size == 0 {
			for { // trailers, up to the blank line
				line, err := readLine(br, maxHead)
				if err != nil {
					return nil, err
				}
				raw = append(raw, line...)
				if isBlank(line) {
					return raw, nil
				}
			}
		}
		chunk := make([]byte, size+2) // and its CRLF
		if _, err := io.ReadFull(br, chunk); err != nil {
			return nil, err
		}
		raw = append(raw, chunk...)
	}
}

// answer is an answer read whole, to be written again.
type answer struct {
	status string // "200 OK"
	code   int
	header http.Header
	body   []byte
}

// readAnswer reads the upstream's answer to a request with method.
func readAnswer(br *bufio.Reader, method string) (*answer, error) {
	resp, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, err
	}
	return &answer{status: resp.Status, code: resp.StatusCode, header: resp.Header, body: body}, nil
}

// writeHead writes the status line and headers of a, announcing its whole
// body.
func writeHead(w *bufio.Writer, a *answer) error {
	h := a.header.Clone()
	for _, k := range hopByHop {
		h.Del(k)
	}
	if _, err := fmt.Fprintf(w, "HTTP/1.1 %s\r\n", a.status); err != nil {
		return err
	}
	if err := h.Write(w); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(a.body))
	return err
}

// writeAnswer writes a whole, or only its first n bytes of body when n is
// less than the body's length.
func writeAnswer(w *bufio.Writer, a *answer, n int) error {
	if err := writeHead(w, a); err != nil {
		return err
	}
	if _, err := w.Write(a.body[:min(n, len(a.body))]); err != nil {
		return err
	}
	return w.Flush()
}

// requestLine returns the method and target of the request whose first
// bytes are b, as far as they go ("" when not there yet).
func requestLine(b []byte) (method, target string) {
	line, _, _ := bytes.Cut(b, []byte("\r\n"))
	fields := strings.Fields(string(line))
	if len(fields) > 0 {
		method = fields[0]
	}
	if len(fields) > 1 {
		target = fields[1]
	}
	return method, target
}

// arrivedHeader returns the value of the header name in the first bytes
// of a request, b, if its line has arrived whole ("" if not).
func arrivedHeader(b []byte, name string) string {
	lines := strings.Split(string(b), "\r\n")
	lines = lines[:len(lines)-1] // the last has not arrived whole, or is empty
	for i, line := range lines {
		if i == 0 {
			continue // the request line
		}
		if line == "" {
			break // the end of the head
		}
		k, v, ok := strings.Cut(line, ":")
		if ok && name != "" && strings.EqualFold(k, name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// writeInformational writes the head of an informational answer: 101
// switches to a protocol of the proxy's invention, 103 hints at a link.
func writeInformational(w *bufio.Writer, status int) error {
	extra := "Link: </styles.css>; rel=preload; as=style\r\n"
	if status == http.StatusSwitchingProtocols {
		extra = "Connection: Upgrade\r\nUpgrade: chaos/1\r\n"
	}
	if _, err := fmt.Fprintf(w, "HTTP/1.1 %d %s\r\n%s\r\n", status, http.StatusText(status), extra); err != nil {
		return err
	}
	return w.Flush()
}
