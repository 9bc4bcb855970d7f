// Package condition holds the conditions a permission rule can carry, in
// the typed form stored with the rule as JSON: the client's address, a
// time window, attributes of the user or the object, a rate limit and
// custom rules registered in Go. A rule applies only when all of its
// conditions hold; package rbac evaluates them on every check.
//
//	{"cidr": ["10.0.0.0/8"],
//	 "time": {"from": "08:00", "to": "18:00", "days": ["mon", "tue", "wed", "thu", "fri"], "zone": "Europe/Berlin"},
//	 "attrs": [{"on": "user", "name": "department", "op": "eq", "value": "sales"},
//	           {"on": "object", "name": "owner", "op": "eq", "user": "id"}],
//	 "rate": {"max": 100, "window": "1h"},
//	 "custom": ["office_hours_exception"]}
//
// The package imports nothing of ent, so that schemas may use Set as the
// type of a JSON field.
package condition

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Set is the conditions of one rule; all of them must hold. The zero Set
// has no conditions.
type Set struct {
	// CIDR lists address ranges ("10.0.0.0/8", "2001:db8::/32", or a
	// single address); the client's address must be in one of them.
	CIDR []string `json:"cidr,omitempty"`
	// Time limits the rule to a window of the day and days of the week.
	Time *Window `json:"time,omitempty"`
	// Attrs are conditions on attributes of the user or of the object.
	Attrs []Attr `json:"attrs,omitempty"`
	// Rate limits how often the rule may be used.
	Rate *Rate `json:"rate,omitempty"`
	// Custom names rules registered in Go (rbac.WithRule); each must hold.
	Custom []string `json:"custom,omitempty"`
}

// Window is a time of day and a set of weekdays, in a time zone.
type Window struct {
	// From and To are "15:04" times; From is inclusive, To exclusive. When
	// To is before From the window spans midnight. Both empty: all day.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Days are "mon" … "sun"; empty means every day. With a window
	// spanning midnight, the day is the one the window starts on.
	Days []string `json:"days,omitempty"`
	// Zone is an IANA time zone such as "Europe/Berlin"; empty means UTC.
	Zone string `json:"zone,omitempty"`
}

// Attr compares one attribute of the user or of the object with a value,
// a list of values, or an attribute of the user.
type Attr struct {
	// On is "user" or "object".
	On string `json:"on"`
	// Name is the attribute: for users "id", "username", "email" or one
	// registered with rbac.WithUserAttribute; for objects one registered
	// with rbac.WithObjectAttribute.
	Name string `json:"name"`
	// Op is "eq", "ne", "in" or "not_in".
	Op string `json:"op"`
	// Value is compared with eq and ne, unless User is set.
	Value string `json:"value,omitempty"`
	// Values are the values of in and not_in.
	Values []string `json:"values,omitempty"`
	// User names an attribute of the user to compare with instead of
	// Value, as in object.owner == user.id.
	User string `json:"user,omitempty"`
}

// Rate allows at most Max uses of the rule per user within Window.
type Rate struct {
	Max int `json:"max"`
	// Window is a Go duration such as "1h" or "15m".
	Window string `json:"window"`
}

// Attribute sides.
const (
	OnUser   = "user"
	OnObject = "object"
)

// Operators of Attr.
const (
	OpEq    = "eq"
	OpNe    = "ne"
	OpIn    = "in"
	OpNotIn = "not_in"
)

// weekdays are the names of Window.Days, indexed by time.Weekday.
var weekdays = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// UnmarshalJSON decodes s strictly: a key that names no condition (at any
// depth, such as "cidrs" or a time window's "form") is an error naming it,
// rather than a condition silently dropped, which would make the rule
// apply more widely than written.
func (s *Set) UnmarshalJSON(b []byte) error {
	type plain Set // without this method
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode((*plain)(s)); err != nil {
		// encoding/json has no error type for an unknown field.
		if key, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return fmt.Errorf("unknown key %s in the conditions", key)
		}
		return err
	}
	return nil
}

// Empty reports whether s has no conditions.
func (s *Set) Empty() bool {
	return s == nil || (len(s.CIDR) == 0 && s.Time == nil && len(s.Attrs) == 0 && s.Rate == nil && len(s.Custom) == 0)
}

// Validate checks the form of every condition: ranges, times, days, zone,
// operators and the rate. It does not know which attributes and custom
// rules are registered; rbac checks those.
func (s *Set) Validate() error {
	if s == nil {
		return nil
	}
	var errs []error
	for _, c := range s.CIDR {
		if _, err := ParsePrefix(c); err != nil {
			errs = append(errs, err)
		}
	}
	if s.Time != nil {
		if _, err := s.Time.compile(); err != nil {
			errs = append(errs, err)
		}
	}
	for i, a := range s.Attrs {
		if err := a.validate(); err != nil {
			errs = append(errs, fmt.Errorf("attribute condition %d: %w", i+1, err))
		}
	}
	if s.Rate != nil {
		if _, err := s.Rate.Duration(); err != nil {
			errs = append(errs, err)
		} else if s.Rate.Max < 1 {
			errs = append(errs, fmt.Errorf("rate limit: max must be at least 1, not %d", s.Rate.Max))
		}
	}
	for _, c := range s.Custom {
		if strings.TrimSpace(c) == "" {
			errs = append(errs, errors.New("custom rule: empty name"))
		}
	}
	return errors.Join(errs...)
}

// ParsePrefix parses an address range, or a single address as a range of
// one.
func ParsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("address range %q is neither an address nor CIDR notation like 10.0.0.0/8", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// InRanges reports whether addr is in one of the ranges. An invalid addr
// (unknown client address) is in none.
func InRanges(addr netip.Addr, ranges []string) bool {
	addr = addr.Unmap()
	for _, c := range ranges {
		if p, err := ParsePrefix(c); err == nil && p.Contains(addr) {
			return true
		}
	}
	return false
}

// Duration returns the rate's window.
func (r *Rate) Duration() (time.Duration, error) {
	d, err := time.ParseDuration(r.Window)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("rate limit: window %q is not a positive duration like 1h or 15m", r.Window)
	}
	return d, nil
}

// window is a compiled Window.
type window struct {
	from, to int // minutes since midnight
	allDay   bool
	days     [7]bool
	loc      *time.Location
}

func (w *Window) compile() (window, error) {
	c := window{allDay: w.From == "" && w.To == "", loc: time.UTC}
	var errs []error
	if !c.allDay {
		var err error
		if c.from, err = minutes(w.From); err != nil {
			errs = append(errs, err)
		}
		if c.to, err = minutes(w.To); err != nil {
			errs = append(errs, err)
		}
		if err == nil && c.from == c.to {
			errs = append(errs, errors.New("time window: from and to are equal; leave both empty for the whole day"))
		}
	}
	for _, d := range w.Days {
		i := slices.Index(weekdays[:], strings.ToLower(d))
		if i < 0 {
			errs = append(errs, fmt.Errorf("time window: day %q is not one of mon, tue, wed, thu, fri, sat, sun", d))
			continue
		}
		c.days[i] = true
	}
	if len(w.Days) == 0 {
		c.days = [7]bool{true, true, true, true, true, true, true}
	}
	if w.Zone != "" {
		loc, err := time.LoadLocation(w.Zone)
		if err != nil {
			errs = append(errs, fmt.Errorf("time window: unknown time zone %q", w.Zone))
		}
		c.loc = loc
	}
	return c, errors.Join(errs...)
}

// minutes parses "15:04" into minutes since midnight.
func minutes(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time window: %q is not a time like 09:00", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Contains reports whether t falls in the window. An invalid window
// contains no time.
func (w *Window) Contains(t time.Time) bool {
	c, err := w.compile()
	if err != nil {
		return false
	}
	t = t.In(c.loc)
	day := t.Weekday()
	if c.allDay {
		return c.days[day]
	}
	m := t.Hour()*60 + t.Minute()
	if c.from < c.to {
		return c.days[day] && m >= c.from && m < c.to
	}
	// Spans midnight: from today's start, or until the end of one that
	// started yesterday.
	if m >= c.from {
		return c.days[day]
	}
	return m < c.to && c.days[(day+6)%7]
}

// String describes the window for people: "09:00–17:00 mon, tue (Europe/Berlin)".
func (w *Window) String() string {
	s := "all day"
	if w.From != "" || w.To != "" {
		s = w.From + "–" + w.To
	}
	if len(w.Days) > 0 {
		s += " " + strings.Join(w.Days, ", ")
	}
	return s + " (" + cmp.Or(w.Zone, "UTC") + ")"
}

func (a Attr) validate() error {
	var errs []error
	if a.On != OnUser && a.On != OnObject {
		errs = append(errs, fmt.Errorf(`on must be "user" or "object", not %q`, a.On))
	}
	if a.Name == "" {
		errs = append(errs, errors.New("the attribute name is empty"))
	}
	switch a.Op {
	case OpEq, OpNe:
		if len(a.Values) > 0 {
			errs = append(errs, fmt.Errorf("%s compares with value or user, not values", a.Op))
		}
	case OpIn, OpNotIn:
		if len(a.Values) == 0 || a.Value != "" || a.User != "" {
			errs = append(errs, fmt.Errorf("%s needs values, and neither value nor user", a.Op))
		}
	default:
		errs = append(errs, fmt.Errorf(`op must be "eq", "ne", "in" or "not_in", not %q`, a.Op))
	}
	if a.User != "" && a.Value != "" {
		errs = append(errs, errors.New("give either value or user, not both"))
	}
	return errors.Join(errs...)
}

// Holds reports whether the attribute's value got satisfies the condition,
// with want the compared value (Value, or the user attribute named by
// User, which the caller resolves).
func (a Attr) Holds(got, want string) bool {
	switch a.Op {
	case OpEq:
		return got == want
	case OpNe:
		return got != want
	case OpIn:
		return slices.Contains(a.Values, got)
	case OpNotIn:
		return !slices.Contains(a.Values, got)
	}
	return false
}

// String describes the condition for people: "object.owner eq user.id".
func (a Attr) String() string {
	rhs := fmt.Sprintf("%q", a.Value)
	switch {
	case a.User != "":
		rhs = "user." + a.User
	case a.Op == OpIn || a.Op == OpNotIn:
		rhs = fmt.Sprintf("%q", a.Values)
	}
	return fmt.Sprintf("%s.%s %s %s", a.On, a.Name, a.Op, rhs)
}
