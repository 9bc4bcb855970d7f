package entadmin

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"sync"
	"time"
)

// cacheKey returns the key of a statement of dialect d with args in the
// site's cache. Each argument is written as a type tag, the length of its
// value and the value, so that different arguments never give one key
// (1 and "1", or "a\x00" and "a" followed by another argument). A
// driver.Valuer is written as its Go type's name and its Value; other
// types than the common ones with their Go type's name and their JSON. ok
// is false when that fails, and the statement is then not cached.
func cacheKey(d, query string, args []any) (key string, ok bool) {
	buf := keyBuffers.Get().(*[]byte)
	b := append((*buf)[:0], d...)
	b = append(b, 0)
	b = append(b, query...)
	b = append(b, 0)
	ok = true
	for _, a := range args {
		if b, ok = appendArg(b, a); !ok {
			break
		}
	}
	if ok {
		key = string(b)
	}
	if cap(b) <= maxPooledKey {
		*buf = b[:0]
		keyBuffers.Put(buf)
	}
	return key, ok
}

// maxPooledKey is the largest key buffer kept for another key.
const maxPooledKey = 64 << 10

// keyBuffers holds the buffers that cache keys are written into, each
// copied into a string of its own size.
var keyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// appendArg appends an argument of a statement to a cache key.
func appendArg(b []byte, a any) ([]byte, bool) {
	switch v := a.(type) {
	case nil:
		return append(b, 'n'), true
	case string:
		return appendSized(append(b, 's'), v), true
	case []byte:
		return appendSized(append(b, 'y'), string(v)), true
	case int:
		return appendInt(append(b, 'i'), int64(v)), true
	case int64:
		return appendInt(append(b, 'l'), v), true
	case int32:
		return appendInt(append(b, 'k'), int64(v)), true
	case uint64:
		return append(strconv.AppendUint(append(b, 'u'), v, 10), ';'), true
	case float64:
		return append(strconv.AppendUint(append(b, 'f'), math.Float64bits(v), 16), ';'), true
	case bool:
		if v {
			return append(b, 't'), true
		}
		return append(b, 'F'), true
	case time.Time:
		// The instant and the location's name and offset: two times that
		// print differently may be written differently by the driver.
		name, offset := v.Zone()
		b = appendInt(append(b, 'T'), v.Unix())
		b = appendInt(b, int64(v.Nanosecond()))
		b = appendInt(b, int64(offset))
		return appendSized(b, name), true
	case driver.Valuer:
		// What the driver writes, which JSON may not show (unexported
		// fields): two tenants' ids of a struct type must not share a key.
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			break
		}
		dv, err := v.Value()
		if _, again := dv.(driver.Valuer); err != nil || again {
			return b, false
		}
		return appendArg(appendSized(append(b, 'v'), fmt.Sprintf("%T", a)), dv)
	}
	j, err := json.Marshal(a)
	if err != nil {
		return b, false
	}
	b = appendSized(append(b, 'j'), fmt.Sprintf("%T", a))
	return appendSized(b, string(j)), true
}

// appendInt appends n and a semicolon.
func appendInt(b []byte, n int64) []byte { return append(strconv.AppendInt(b, n, 10), ';') }

// appendSized appends the length of s, a colon and s.
func appendSized(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}
