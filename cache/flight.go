package cache

import (
	"context"
	"encoding/json"
	"errors"
)

// flight is a load in progress that simultaneous misses of its key wait
// for.
type flight struct {
	done chan struct{} // closed when the load ended
	data []byte        // the value as JSON, when err is nil
	err  error
}

// errAbandoned is the error of a flight whose load panicked.
var errAbandoned = errors.New("cache: the load panicked")

// loadOnce calls load, which fills dst, and returns dst's value as JSON
// (nil when it cannot be encoded), unless a load of the same key k is in
// progress: then it waits for that load's value and decodes it into dst.
// A waiter whose ctx ends returns ctx's error; one whose load failed, or
// whose value cannot be decoded, calls load itself.
func (c *Cache) loadOnce(ctx context.Context, k string, dst any, load func(context.Context) error) ([]byte, error) {
	c.flightMu.Lock()
	if f, ok := c.flights[k]; ok {
		c.flightMu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err == nil && f.data != nil && json.Unmarshal(f.data, dst) == nil {
			return nil, nil // the loader keeps it
		}
		if err := load(ctx); err != nil {
			return nil, err
		}
		data, _ := json.Marshal(dst)
		return data, nil
	}
	f := &flight{done: make(chan struct{}), err: errAbandoned}
	c.flights[k] = f
	c.flightMu.Unlock()
	defer func() {
		c.flightMu.Lock()
		delete(c.flights, k)
		c.flightMu.Unlock()
		close(f.done)
	}()
	if f.err = load(ctx); f.err != nil {
		return nil, f.err
	}
	f.data, _ = json.Marshal(dst) // nil when dst cannot be encoded: the waiters load themselves
	return f.data, nil
}
