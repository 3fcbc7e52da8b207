#!/usr/bin/env bash
# The whole cycle in one command: install.sh, start.sh, smoke.sh, stop.sh (stop.sh also runs
# when an earlier step fails). Prints how long each step took.
#
# Exit status: 0 passed, 77 Slurm cannot run here (see the message), 1 a step failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

step() { # <name> <command...>; runs a step, prints its time, and passes on its exit status.
  local name="$1" t0=$SECONDS rc=0
  shift
  "$@" || rc=$?
  printf 'check.sh: %s: exit %d after %ds\n' "$name" "$rc" "$((SECONDS - t0))" >&2
  return "$rc"
}

step install "$here/install.sh"
started=false
cleanup() { if $started; then step stop "$here/stop.sh" || true; fi; }
trap cleanup EXIT
started=true
step start "$here/start.sh" >/dev/null
step smoke "$here/smoke.sh"
trap - EXIT
step stop "$here/stop.sh"
