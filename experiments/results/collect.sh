#!/usr/bin/env bash
# Copies a sweep folder's light files into experiments/results (the tables, and per point and shared
# stage its resolved-config.yaml, provenance.json, metrics.json, failure.json and the row importance
# of `efqat importance` (importance-efqat.json) where it was computed; no checkpoints),
# makes absolute paths relative (or cuts them to their last two components), and writes the report.
#   experiments/results/collect.sh runs/fmnist-resnet20-study experiments/results/studies
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 SWEEP_DIR DEST_PARENT" >&2; exit 2; }
src=${1%/}
[ -f "$src/sweep.json" ] || { echo "$0: $src/sweep.json not found: not a sweep folder" >&2; exit 2; }
dest="$2/$(basename "$src")"
root=$(pwd -P)
# No machine's paths in committed files: this checkout's root, any checkout's run and library folders
# become relative, and any other absolute path (a data file) keeps its last two components.
relative=(-e "s#$root/##g" -e "s#/[^\" ]*/runs/#runs/#g"
  -e "s#\"/[^\"]*/(experiments/target/lib/)#\"\1#g"
  -e "s#\"/([^\"]*/)?([^/\"]+/[^/\"]+)\"#\"…/\2\"#g")
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
cp "$src/sweep.json" "$src/sweep.md" "$dest.tmp/"
for kind in points stages; do
  [ -d "$src/$kind" ] || continue
  for d in "$src/$kind"/*/; do
    out="$dest.tmp/$kind/$(basename "$d")"
    mkdir -p "$out"
    for f in resolved-config.yaml provenance.json metrics.json failure.json importance-efqat.json; do
      [ -f "$d$f" ] && sed -E "${relative[@]}" "$d$f" > "$out/$f"
    done
  done
done
sed -E -i "${relative[@]}" "$dest.tmp/sweep.json" "$dest.tmp/sweep.md"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
./efqat report "$dest" --output "$dest/report"
