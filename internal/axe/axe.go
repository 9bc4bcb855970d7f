// Package axe runs axe-core, the accessibility checker, in pages that
// headless Chromium has loaded for a test.
//
// axe-core comes from the npm registry, pinned by this folder's
// package-lock.json; `npm ci` in this folder installs it (.ci/run does).
package axe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// ErrMissing reports that axe-core is not installed in this folder.
var ErrMissing = errors.New("axe-core is not installed: run npm ci in internal/axe")

// Violation is one axe rule that a page breaks, with the elements that
// break it.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target json.RawMessage `json:"target"`
		HTML   string          `json:"html"`
	} `json:"nodes"`
}

// String names the rule, its impact and up to three offending elements.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 3 {
			fmt.Fprintf(&b, "\n    … and %d more", len(v.Nodes)-3)
			break
		}
		fmt.Fprintf(&b, "\n    %s %s", n.Target, n.HTML)
	}
	return b.String()
}

var load = sync.OnceValues(func() (string, error) {
	_, file, _, _ := goruntime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "node_modules", "axe-core", "axe.min.js"))
	if errors.Is(err, os.ErrNotExist) {
		return "", ErrMissing
	}
	return string(b), err
})

// Script returns the source of axe.min.js, or ErrMissing.
func Script() (string, error) { return load() }

// Serious runs axe in the page that ctx's browser tab shows and returns
// the violations of impact serious or critical.
func Serious(ctx context.Context) ([]Violation, error) {
	src, err := Script()
	if err != nil {
		return nil, err
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, fmt.Errorf("axe: loading: %w", err)
	}
	all, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](
		`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("axe: %w", err)
	}
	var serious []Violation
	for _, v := range all {
		if v.Impact == "serious" || v.Impact == "critical" {
			serious = append(serious, v)
		}
	}
	return serious, nil
}
