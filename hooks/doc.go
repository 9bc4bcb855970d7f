// Package hooks holds the ent hooks entadmin installs on the client of its
// own models (users, groups, policy rules, object grants): the escalation
// guard, the validation of grants, the policy reload and the removal of
// orphaned rules. They need the casbin enforcer (package rbac), so the
// batteries install them; code generated for users' ent types never
// imports this package.
//
// The hooks the admin installs on every ent type it serves live in
// casbin-free packages below this one, which the runtime imports, so that
// neither it nor the code generated for users' ent types links casbin:
//
//   - hooks/write: the write hook, with optimistic locking, the save,
//     delete and post-action hooks registered on a resource, and the audit
//     log recorded in the write's transaction. entadmin.Register installs
//     it; the runtime fills its Config, so it imports nothing of entadmin.
//   - hooks/auditdiff: the field and edge diffs the audit log records of a
//     write.
//
// What carries permissions onto the client lives in package policy: the
// casbin model and the conditions of rules; policy/rowscope, the
// interceptor and hook that keep every query and write of an admin request
// within the user's row scope; and policy/fieldaccess, the hook that
// refuses a write of a field the user may not change. These are the choke
// point of the admin's permissions: the admin's handlers decide what to
// show and accept, and the hooks on the client hold every path through it
// (bulk actions, endpoints, save hooks, form parts, inlines) to the same
// rules. The field rule runs before the write hook, so that it judges what
// the caller asked for and trusts what the save hooks derive.
//
// Hooks, interceptors and ent's privacy layer each take the part they fit.
// An ent hook wraps a mutation: it can read the rows a write is about to
// change, refuse it, add to it, and act after it in the same transaction,
// which is what the write hook, the audit log and the guards do. An
// interceptor wraps a query and adds a predicate to it, which is how the
// row scope reaches lists, counts, eager loads and edge traversals. ent's
// privacy layer decides allow or deny per operation from a policy compiled
// into the schema (Policy(), with the privacy feature); entadmin's rules are
// known only per request and installed on a client the application already
// has, without changing the user's schema, so it uses hooks and
// interceptors instead.
package hooks
