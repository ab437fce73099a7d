#!/usr/bin/env bash
# Regenerate the committed drizzle-kit fixtures with the project's pinned drizzle-kit (0.31.11).
#
#   compat/drizzle/regen-fixtures.sh [NAME...]
#
# For each schema folder schemas/NAME (default: every folder under schemas/), fixtures/NAME is
# emptied and refilled by `drizzle-kit generate --name init`, so it holds 0000_init.sql,
# meta/_journal.json and meta/0000_snapshot.json. The snapshot ids and the journal's "when" are
# drawn afresh by drizzle-kit on every run: regenerate only when a schema changes.
# Needs compat/drizzle/node_modules (run scripts/test-setup first).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DK="$HERE/node_modules/.bin/drizzle-kit"

if [ ! -x "$DK" ]; then
  echo "regen-fixtures: $DK is missing; run scripts/test-setup first" >&2
  exit 1
fi

if [ $# -eq 0 ]; then
  set --
  for dir in "$HERE"/schemas/*/; do set -- "$@" "$(basename "$dir")"; done
  [ $# -gt 0 ] || { echo "regen-fixtures: no schema folders under $HERE/schemas" >&2; exit 1; }
fi

WORKS=()
cleanup() { for w in "${WORKS[@]+"${WORKS[@]}"}"; do rm -rf "$w"; done; }
trap cleanup EXIT

for name in "$@"; do
  schema="$HERE/schemas/$name"
  out="$HERE/fixtures/$name"
  compgen -G "$schema/*.ts" >/dev/null || { echo "regen-fixtures: no *.ts files in $schema" >&2; exit 1; }

  # drizzle-kit reads ./drizzle.config.ts and resolves drizzle-orm from ./node_modules: stage a
  # work dir with the config, a copy of the schema and a symlink to our node_modules.
  work="$(mktemp -d "${TMPDIR:-/tmp}/regen-fixtures.XXXXXX")"
  WORKS+=("$work")
  cp "$HERE/drizzle.config.ts" "$HERE/package.json" "$work/"
  mkdir "$work/schema"
  cp "$schema"/*.ts "$work/schema/"
  ln -s "$HERE/node_modules" "$work/node_modules"

  rm -rf "$out"
  mkdir -p "$out"
  # drizzle-kit 0.31.11 fails silently with an absolute out on a non-empty folder: pass it relative.
  rel="$(realpath --relative-to="$work" "$out")"
  echo "regen-fixtures: drizzle-kit generate schemas/$name -> fixtures/$name"
  (cd "$work" && DRIZZLE_SCHEMA='./schema/*.ts' DRIZZLE_OUT="$rel" "$DK" generate --name init </dev/null)

  # drizzle-kit exits 0 even when it fails: check what it wrote.
  for f in 0000_init.sql meta/_journal.json meta/0000_snapshot.json; do
    if [ ! -s "$out/$f" ]; then
      echo "regen-fixtures: drizzle-kit did not write fixtures/$name/$f (see its output above)" >&2
      exit 1
    fi
  done
  echo "regen-fixtures: fixtures/$name is up to date"
done
