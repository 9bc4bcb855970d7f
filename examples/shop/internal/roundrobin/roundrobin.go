// Package roundrobin is the reverse proxy that the bench and the tests put
// in front of several instances of the shop.
package roundrobin

import (
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync/atomic"
)

// Header, on a request to the proxy, names the instance to send it to
// (for tests); on its response, the instance that served it.
const Header = "X-Shop-Instance"

// New returns a reverse proxy that sends each request to the next of the
// targets, or to the one the request's Header names.
func New(targets []*url.URL) http.Handler {
	var next atomic.Int64
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := int(next.Add(1)-1) % len(targets)
			if pin, err := strconv.Atoi(pr.In.Header.Get(Header)); err == nil && pin >= 0 && pin < len(targets) {
				i = pin
			}
			pr.SetURL(targets[i])
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
			pr.Out.Header.Set(Header, strconv.Itoa(i))
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set(Header, resp.Request.Header.Get(Header))
			return nil
		},
	}
}
