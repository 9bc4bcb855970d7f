#!/usr/bin/env bash
# Vendor htmx into views/static from the npm registry.
#
#   scripts/vendor-htmx.sh          download htmx.org@$VERSION with npm pack and
#                                   write htmx.min.js, htmx.LICENSE, htmx.sha256
#   scripts/vendor-htmx.sh --check  download nothing; verify htmx.min.js against
#                                   htmx.sha256
set -euo pipefail

VERSION=2.0.11
STATIC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/views/static"

if [[ "${1:-}" == "--check" ]]; then
	cd "$STATIC"
	grep -v '^#' htmx.sha256 | sha256sum --check --strict --quiet -
	echo "htmx.min.js matches htmx.sha256"
	exit 0
elif [[ $# -gt 0 ]]; then
	echo "usage: $0 [--check]" >&2
	exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# npm pack --json reports the tarball's file name and integrity string.
(cd "$tmp" && npm pack --silent --json "htmx.org@$VERSION" >pack.json)
tarball="$(node -p 'require(process.argv[1])[0].filename' "$tmp/pack.json")"
integrity="$(node -p 'require(process.argv[1])[0].integrity' "$tmp/pack.json")"
tar -xzf "$tmp/$tarball" -C "$tmp" package/dist/htmx.min.js package/LICENSE

mkdir -p "$STATIC"
cp "$tmp/package/dist/htmx.min.js" "$STATIC/htmx.min.js"
cp "$tmp/package/LICENSE" "$STATIC/htmx.LICENSE"
{
	echo "# htmx.org@$VERSION, npm tarball $tarball, integrity $integrity"
	(cd "$STATIC" && sha256sum htmx.min.js)
} >"$STATIC/htmx.sha256"

echo "vendored htmx.org@$VERSION into $STATIC"
