package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entadmin/entadmin/examples/shop/shopapp"
)

// shownPrice finds the price the list's editable cells showed, posted back
// with the save.
var shownPrice = regexp.MustCompile(`name="o\.(\d+)\.price" value="([^"]*)"`)

// measureListSave measures list editing: it saves the price of every row
// of the list's first page (25 rows), one save after the other for d, each
// moving every price by 1 (up, then back down), as the form posts it
// without htmx (answered with a redirect to the list, whose own cost is the
// "list page 1" scenario). It counts the statements of one save.
func measureListSave(ctx context.Context, db *shopapp.DB, transport http.RoundTripper, base string, d time.Duration) (benchResult, error) {
	var r benchResult
	client := &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	list := base + "/admin/product/"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, list, nil)
	if err != nil {
		return r, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return r, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return r, err
	}
	var ids []string
	price := map[string]float64{}
	for _, m := range shownPrice.FindAllSubmatch(body, -1) {
		id := string(m[1])
		if price[id], err = strconv.ParseFloat(string(m[2]), 64); err != nil {
			return r, fmt.Errorf("the price of product %s: %w", id, err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return r, fmt.Errorf("%s: no editable prices (status %s)", list, resp.Status)
	}
	save := func(step float64) (time.Duration, error) {
		form := url.Values{}
		for _, id := range ids {
			form.Add("_row", id)
			form.Set("o."+id+".price", strconv.FormatFloat(price[id], 'f', -1, 64))
			form.Set("e."+id+".price", strconv.FormatFloat(price[id]+step, 'f', -1, 64))
		}
		start := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, list+"list-save/", strings.NewReader(form.Encode()))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != http.StatusSeeOther {
			return 0, fmt.Errorf("list-save: status %s: %s", resp.Status, body[:min(len(body), 500)])
		}
		for _, id := range ids {
			price[id] += step
		}
		return time.Since(start), nil
	}
	db.Counter.Reset()
	if _, err := save(1); err != nil {
		return r, err
	}
	if r.statements = db.Counter.Count(); r.statements < len(ids) {
		return r, fmt.Errorf("list-save of %d rows ran %d statements: nothing was written", len(ids), r.statements)
	}
	db.Counter.Reset()
	var latencies []time.Duration
	start := time.Now()
	for step := -1.0; time.Since(start) < d; step = -step {
		took, err := save(step)
		if err != nil {
			return r, err
		}
		latencies = append(latencies, took)
	}
	r.elapsed = time.Since(start)
	r.underLoad = float64(db.Counter.Count()) / float64(len(latencies))
	slices.Sort(latencies)
	r.requests = len(latencies)
	r.p50, r.p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
	return r, nil
}
