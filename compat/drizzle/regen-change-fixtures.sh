#!/usr/bin/env bash
# Regenerate the committed drizzle-kit CHANGE fixtures with the project's pinned drizzle-kit (0.31.11).
#
#   compat/drizzle/regen-change-fixtures.sh [CASE...]
#
# Each case is a folder changes/CASE with before/schema.ts and after/schema.ts (default: every folder
# under changes/). changes/CASE/drizzle is emptied, then drizzle-kit generates `before` into it
# (0000_before.sql) and `after` on top of it (0001_after.sql, the diff drizzle-kit writes for the change),
# plus meta/_journal.json and meta/000{0,1}_snapshot.json. Snapshot ids and journal "when" values are
# drawn afresh by drizzle-kit on every run: regenerate only when a case changes.
#
# drizzle-kit exits 0 even when it fails, and without a terminal it cannot answer its "created or
# renamed?" prompts; a missing 0001_after.sql means it prompted or failed, and its output is printed.
# A case folder holding SKIPPED.md is a known prompt/failure: it is still run (to notice when it starts
# working) but a missing 0001_after.sql does not fail the script, and its partial output is removed.
# Needs compat/drizzle/node_modules (run scripts/test-setup first).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DK="$HERE/node_modules/.bin/drizzle-kit"
CHANGES="$HERE/changes"

if [ ! -x "$DK" ]; then
  echo "regen-change-fixtures: $DK is missing; run scripts/test-setup first" >&2
  exit 1
fi

if [ $# -eq 0 ]; then
  set --
  for dir in "$CHANGES"/*/; do set -- "$@" "$(basename "$dir")"; done
  [ $# -gt 0 ] || { echo "regen-change-fixtures: no case folders under $CHANGES" >&2; exit 1; }
fi

WORKS=()
cleanup() { for w in "${WORKS[@]+"${WORKS[@]}"}"; do rm -rf "$w"; done; }
trap cleanup EXIT

failed=()
skipped=()
for name in "$@"; do
  case_dir="$CHANGES/$name"
  out="$case_dir/drizzle"
  for side in before after; do
    compgen -G "$case_dir/$side/*.ts" >/dev/null || {
      echo "regen-change-fixtures: no *.ts files in $case_dir/$side" >&2; exit 1; }
  done

  # drizzle-kit reads ./drizzle.config.ts and resolves drizzle-orm from ./node_modules: stage a work
  # dir with the config, a schema/ folder and a symlink to our node_modules.
  work="$(mktemp -d "${TMPDIR:-/tmp}/regen-change-fixtures.XXXXXX")"
  WORKS+=("$work")
  cp "$HERE/drizzle.config.ts" "$HERE/package.json" "$work/"
  ln -s "$HERE/node_modules" "$work/node_modules"

  rm -rf "$out"
  mkdir -p "$out"
  # drizzle-kit 0.31.11 ignores the earlier snapshots of an absolute out and fails silently: relative.
  rel="$(realpath --relative-to="$work" "$out")"
  log="$work/drizzle-kit.log"
  : >"$log"

  ok=1
  for step in "0:before" "1:after"; do
    idx="${step%%:*}"; side="${step#*:}"
    rm -rf "$work/schema"
    mkdir "$work/schema"
    cp "$case_dir/$side"/*.ts "$work/schema/"
    echo "### drizzle-kit generate --name $side" >>"$log"
    (cd "$work" && DRIZZLE_SCHEMA='./schema/*.ts' DRIZZLE_OUT="$rel" \
      timeout 120 "$DK" generate --name "$side" </dev/null) >>"$log" 2>&1 || true
    if [ ! -s "$out/000${idx}_${side}.sql" ] || [ ! -s "$out/meta/000${idx}_snapshot.json" ]; then
      ok=0
      break
    fi
  done

  if [ "$ok" = 1 ]; then
    if [ -f "$case_dir/SKIPPED.md" ]; then
      echo "regen-change-fixtures: $name: drizzle-kit now generates 0001_after.sql; remove SKIPPED.md?" >&2
    fi
    echo "regen-change-fixtures: changes/$name is up to date"
  elif [ -f "$case_dir/SKIPPED.md" ]; then
    rm -rf "$out"
    skipped+=("$name")
    echo "regen-change-fixtures: changes/$name skipped (see its SKIPPED.md)"
  else
    echo "regen-change-fixtures: drizzle-kit did not write changes/$name/drizzle/0001_after.sql" \
      "(it prompted or failed); its output:" >&2
    sed 's/^/    /' "$log" >&2
    failed+=("$name")
  fi
done

[ ${#skipped[@]} -eq 0 ] || echo "regen-change-fixtures: skipped: ${skipped[*]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "regen-change-fixtures: FAILED: ${failed[*]}" >&2
  exit 1
fi
