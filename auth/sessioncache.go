package auth

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/session"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
)

// WithSessionCache remembers, in process, the users of the sessions
// Authenticate validated, so that a request of a session seen since the
// sessions and users tables last changed costs no statement. c tells
// whether they changed: it must be told of every write to them
// (Cache.Invalidate after the write commits), as a site with
// entadmin.WithCache tells it of the writes through the client of its
// resources, which must include entadmin's User and Session models
// (batteries.Install registers them). Logging out, ending a session,
// deactivating a user or changing their password so take effect at the
// next request, in every instance sharing c's table versions; expiry and
// idleness are checked on every request.
func WithSessionCache(c entadmin.Cache) Option {
	return func(a *Authorizer) { a.sessions = newSessionCache(c) }
}

// sessionTables are the tables a session's validity depends on.
var sessionTables = []string{session.Table, user.Table}

// sessionCacheMax bounds the sessions remembered: past it, all are
// forgotten at once.
const sessionCacheMax = 10000

// errUncached ends a lookup of the cache that stores nothing: the session
// is not valid, or was touched.
var errUncached = errors.New("auth: session not cached")

// sessionCache holds the users of validated sessions by token hash. The
// cache c holds, under a key of this process and the token hash and for
// the current versions of sessionTables, the stamp of the entry validated
// at those versions: a stamp that matches is still good.
type sessionCache struct {
	c      entadmin.Cache
	prefix string // this process's, in c's keys
	mu     sync.Mutex
	byHash map[string]sessionEntry
}

// sessionEntry is a validated session and its user.
type sessionEntry struct {
	stamp             uint64
	user              *ent.User
	lastSeen, expires time.Time
}

func newSessionCache(c entadmin.Cache) *sessionCache {
	id := make([]byte, 8)
	rand.Read(id)
	return &sessionCache{c: c, prefix: "auth.session\x00" + hex.EncodeToString(id) + "\x00", byHash: map[string]sessionEntry{}}
}

// authenticate returns the user of the session of hash, from the cache
// when the session was validated since its tables last changed and is
// still live and fresh at now; else from lookup, which validates it at
// the database (nil without a live session) and reports whether it may be
// remembered: live and not in need of a touch.
func (sc *sessionCache) authenticate(ctx context.Context, hash string, now, idleSince, touchBefore time.Time,
	lookup func(context.Context) (u *ent.User, e sessionEntry, keep bool, err error)) (*ent.User, error) {
	var (
		stamp  uint64
		looked bool // lookup ran: its answer stands
		loaded *ent.User
		err    error
	)
	ferr := sc.c.Fetch(ctx, sc.prefix+hash, sessionTables, &stamp, func(ctx context.Context) error {
		var e sessionEntry
		var keep bool
		looked = true
		if loaded, e, keep, err = lookup(ctx); err != nil || !keep {
			return errUncached
		}
		e.user = loaded
		stamp = sc.put(hash, e)
		return nil
	})
	if looked {
		return loaded, err
	}
	if ferr == nil {
		if u := sc.get(hash, stamp, now, idleSince, touchBefore); u != nil {
			return u, nil
		}
	}
	// Not valid, not kept, or not this process's: the database decides.
	u, _, _, err := lookup(ctx)
	return u, err
}

// put remembers a validated session and returns its stamp.
func (sc *sessionCache) put(hash string, e sessionEntry) uint64 {
	var b [8]byte
	rand.Read(b[:])
	e.stamp = binary.LittleEndian.Uint64(b[:])
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.byHash) >= sessionCacheMax {
		clear(sc.byHash)
	}
	sc.byHash[hash] = e
	return e.stamp
}

// get returns a copy of the user of the session of hash validated with
// stamp, if it is still live at now and needs no touch; else nil.
func (sc *sessionCache) get(hash string, stamp uint64, now, idleSince, touchBefore time.Time) *ent.User {
	sc.mu.Lock()
	e, ok := sc.byHash[hash]
	sc.mu.Unlock()
	if !ok || e.stamp != stamp || !e.expires.After(now) || !e.lastSeen.After(idleSince) || !e.lastSeen.After(touchBefore) {
		return nil
	}
	u := *e.user
	return &u
}
