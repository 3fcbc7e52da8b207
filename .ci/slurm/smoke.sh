#!/usr/bin/env bash
# Checks the private cluster with the job pattern the sweep uses: a parent job (the FP/PTQ
# stages), then a job array of points (one CPU each) that depends on it with afterok, plus a
# failing parent whose dependent job must never run. Needs a running cluster (start.sh).
#
# Each point checks that the parent's output exists, sleeps a little and writes a file; the
# script then checks, through scontrol (there is no sacct without accounting), that every task
# COMPLETED with exit code 0, that every point started after the parent finished, that points ran
# side by side (CR_Core: one CPU per task), and that the dependent of the failed parent was
# cancelled without running.
#
# Environment:
#   EFQAT_SLURM_DIR            the cluster's folder (default /tmp/efqat-slurm)
#   EFQAT_SLURM_SMOKE_POINTS   number of array tasks (default 4)
#   EFQAT_SLURM_SMOKE_TIMEOUT  seconds to wait for all jobs (default 120)
#
# Exit status: 0 every check passed, 1 otherwise (the jobs' states and outputs are printed and
# the work folder is kept).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"

points="${EFQAT_SLURM_SMOKE_POINTS:-4}"
timeout_s="${EFQAT_SLURM_SMOKE_TIMEOUT:-120}"
export SLURM_CONF="$SLURM_CONF_FILE"

if [[ "$(node_state)" == "" ]]; then
  log "no cluster answers with $SLURM_CONF (run $here/start.sh first)"
  exit 1
fi

work="$(mktemp -d "$SLURM_DIR/smoke.XXXXXX")"
chmod 755 "$work"
job_ids=()
ok=false
on_exit() {
  if $ok; then
    rm -rf "$work"
    return
  fi
  log "FAILED; work folder kept: $work"
  local id f
  for id in "${job_ids[@]}"; do scontrol --oneliner show job "$id" >&2 2>/dev/null || true; done
  for f in "$work"/*.out; do
    [[ -e $f ]] && { printf -- '--- %s\n' "$f" >&2; cat "$f" >&2; }
  done
  ((${#job_ids[@]} == 0)) || scancel "${job_ids[@]}" 2>/dev/null || true
}
trap on_exit EXIT

fail() {
  log "$*"
  exit 1
}

submit() {
  local id
  id="$(sbatch --parsable --chdir="$work" "$@")" || fail "sbatch $* failed"
  id="${id%%;*}"
  job_ids+=("$id")
  printf '%s' "$id"
}

t0=$SECONDS
parent="$(submit --job-name=efqat-smoke-parent --output="$work/parent.out" \
  --wrap='sleep 1; date +%s.%N > parent.done')"
# shellcheck disable=SC2016 # the job's shell expands these, not this one
array="$(submit --job-name=efqat-smoke-points --array="0-$((points - 1))" --cpus-per-task=1 \
  --dependency="afterok:$parent" --kill-on-invalid-dep=yes --output="$work/point-%a.out" \
  --wrap='test -s parent.done || { echo "parent output missing" >&2; exit 2; }
start=$(date +%s.%N); sleep 2
echo "$SLURM_ARRAY_TASK_ID $start $(date +%s.%N)" > "point-$SLURM_ARRAY_TASK_ID.done"')"
bad="$(submit --job-name=efqat-smoke-bad-parent --output="$work/bad.out" --wrap='exit 3')"
orphan="$(submit --job-name=efqat-smoke-orphan --dependency="afterok:$bad" \
  --kill-on-invalid-dep=yes --output="$work/orphan.out" --wrap='touch orphan.ran')"
log "submitted parent $parent, array $array (0-$((points - 1))) after it, failing parent $bad, dependent $orphan"

# One line per job or array task: "<job id>[_<task>] <state> <exit code>".
states() {
  local id
  for id in "$@"; do
    scontrol --oneliner show job "$id" 2>/dev/null | awk '{
      id = ""; task = ""; state = ""; code = ""
      for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "ArrayJobId") id = kv[2]
        else if (kv[1] == "JobId" && id == "") id = kv[2]
        else if (kv[1] == "ArrayTaskId") task = "_" kv[2]
        else if (kv[1] == "JobState") state = kv[2]
        else if (kv[1] == "ExitCode") code = kv[2]
      }
      print id task, state, code
    }'
  done
}

terminal='^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE)$'
deadline=$((SECONDS + timeout_s))
while :; do
  all="$(states "$parent" "$array" "$bad" "$orphan")"
  # Done when every job and array task is in a final state.
  if [[ -n $all ]] && awk -v re="$terminal" '$2 !~ re { exit 1 }' <<<"$all"; then
    break
  fi
  ((SECONDS < deadline)) || fail "jobs not finished after ${timeout_s}s:"$'\n'"$all"
  sleep 0.5
done
elapsed=$((SECONDS - t0))

expect() { # <job id> <state> <exit code>
  local line
  line="$(grep "^$1 " <<<"$all")" || fail "no state for job $1"
  [[ $line == "$1 $2 $3" ]] || fail "job $1: expected $2 with exit code $3, got: ${line#* }"
}
expect "$parent" COMPLETED 0:0
for ((i = 0; i < points; i++)); do
  expect "${array}_$i" COMPLETED 0:0
  [[ -s $work/point-$i.done ]] || fail "point $i wrote no output"
done
expect "$bad" FAILED 3:0
expect "$orphan" CANCELLED 0:0
[[ ! -e $work/orphan.ran ]] || fail "job $orphan ran although its parent $bad failed"

parent_end="$(<"$work/parent.done")"
# "<task> <start> <end>" lines; every start after the parent's end, and some two points overlap.
cat "$work"/point-*.done | sort -k2,2n | awk -v p="$parent_end" '
  $2 < p { printf "point %s started at %s, before its parent ended at %s\n", $1, $2, p; bad = 1 }
  NR > 1 && $2 < last_end { overlap = 1 }
  { if ($3 > last_end) last_end = $3 }
  END {
    if (!overlap) { print "no two points ran at the same time (expected one CPU per task)"; bad = 1 }
    exit bad
  }' >&2 || fail "point timing check failed: $(cat "$work"/point-*.done | tr '\n' ';')"

ok=true
if [[ -n ${EFQAT_SLURM_SMOKE_VERBOSE:-} ]]; then
  log "parent ended $parent_end; points (task start end):"
  cat "$work"/point-*.done >&2
fi
log "passed in ${elapsed}s: parent $parent, $points points after it (side by side), failed parent's dependent cancelled"
