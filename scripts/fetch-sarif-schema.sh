#!/usr/bin/env bash
# Fetches the SARIF 2.1.0 JSON Schema the tests validate `lint --format sarif` against.
#
# Source: the npm registry, package @microsoft/sarif-multitool-linux (Microsoft's SARIF
# SDK, maintained by the SARIF spec editors), which ships the final 2.1.0 schema as
# `sarif-2.1.0.json`. Only that one file is kept, at .cache/sarif-schema/, and its
# SHA-256 is checked. Idempotent: nothing is fetched when the file is already there and
# intact. Run from the repository root (`make test` does).
set -euo pipefail

PACKAGE="@microsoft/sarif-multitool-linux"
VERSION="5.7.0"
MEMBER="package/sarif-2.1.0.json"
SHA256="1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c"
DEST_DIR=".cache/sarif-schema"
DEST="$DEST_DIR/sarif-schema-2.1.0.json"

intact() { [[ -f $1 ]] && echo "$SHA256  $1" | sha256sum --check --status; }

if intact "$DEST"; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# `npm pack` fetches the published tarball through npm's own cache, without installing.
tarball=$(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" | tail -n 1)
tar -xzf "$work/$tarball" -C "$work" "$MEMBER"
if ! intact "$work/$MEMBER"; then
  echo "fetch-sarif-schema: $PACKAGE@$VERSION $MEMBER has an unexpected SHA-256" >&2
  exit 1
fi
mkdir -p "$DEST_DIR"
mv "$work/$MEMBER" "$DEST"
echo "SARIF 2.1.0 schema: $DEST (from $PACKAGE@$VERSION)"
