package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// clientKind is how load's clients send their requests.
type clientKind string

const (
	// rawClients keep one connection each and use it as wrk does: the
	// request's bytes written whole, the response read on the same
	// goroutine and its body into nothing.
	rawClients clientKind = "raw"
	// netHTTPClients use net/http's client, which hands each request and
	// its response between three goroutines: on two cores that adds about
	// 0.1 ms to every request, which wrk does not.
	netHTTPClients clientKind = "nethttp"
)

// requester sends one client's requests for load.
type requester interface {
	// get requests the page, reads its whole body and returns how long
	// that took. A status other than 200 is an error.
	get(ctx context.Context) (time.Duration, error)
	close()
}

// newRequester returns a client of kind for u, sending the cookie of t.
func newRequester(kind clientKind, t withCookie, u string) (requester, error) {
	if kind == netHTTPClients {
		return netHTTPClient{&http.Client{Transport: t}, u}, nil
	}
	pu, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: entadmin-bench\r\nCookie: %s\r\n\r\n", pu.RequestURI(), pu.Host, t.cookie)
	return &rawClient{addr: pu.Host, req: []byte(req)}, nil
}

// netHTTPClient is a requester on net/http's client.
type netHTTPClient struct {
	c *http.Client
	u string
}

func (n netHTTPClient) get(ctx context.Context) (time.Duration, error) { return get(ctx, n.c, n.u) }
func (n netHTTPClient) close()                                         {}

// rawClient is a requester on one keep-alive connection of its own,
// opened again when the server closes it.
type rawClient struct {
	addr string
	req  []byte
	conn net.Conn
	br   *bufio.Reader
}

// rawTimeout bounds each request of a rawClient.
const rawTimeout = 30 * time.Second

func (c *rawClient) get(ctx context.Context) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	start := time.Now()
	if c.conn == nil {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return 0, err
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 64<<10)
	}
	c.conn.SetDeadline(start.Add(rawTimeout))
	if _, err := c.conn.Write(c.req); err != nil {
		c.close()
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.close()
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		c.close()
		return 0, fmt.Errorf("status %s: %s", resp.Status, body)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	took := time.Since(start)
	if err != nil || resp.Close {
		c.close()
	}
	return took, err
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn, c.br = nil, nil
	}
}
