#!/usr/bin/env bash
# Stops the private cluster that start.sh started in EFQAT_SLURM_DIR (default /tmp/efqat-slurm):
# cancels its jobs, then stops slurmd, slurmctld and munged by the pids in their pid files, and
# any slurmstepd those jobs left. Idempotent: stopping a stopped cluster does nothing. Only
# processes started from this folder are signalled.
#
# Exit status: 0 nothing of this folder's cluster is running any more, 1 something would not stop.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"

if [[ ! -d $SLURM_DIR ]]; then
  log "nothing to stop: $SLURM_DIR does not exist"
  exit 0
fi

# Sends TERM to every "name:pid" argument at once, waits up to 10 s for all of them to end,
# then sends KILL to those left. Fails if any is still alive after that.
stop_all() {
  local entry pid i alive
  for entry in "$@"; do
    log "stopping ${entry%%:*} (${entry#*:})"
    kill -TERM "${entry#*:}" 2>/dev/null || true
  done
  for ((i = 0; i < 100; i++)); do
    alive=0
    for entry in "$@"; do
      if alive "${entry#*:}"; then alive=1; fi
    done
    ((alive)) || return 0
    sleep 0.1
  done
  alive=0
  for entry in "$@"; do
    pid="${entry#*:}"
    alive "$pid" || continue
    log "${entry%%:*} ($pid) ignored TERM for 10 s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
  done
  sleep 0.5
  for entry in "$@"; do
    if alive "${entry#*:}"; then
      log "${entry%%:*} (${entry#*:}) is still running"
      alive=1
    fi
  done
  return "$alive"
}

# Processes of this cluster that no pid file names: its jobs that outlived it (the controller died
# before it could cancel them, or a slurmstepd ended without its job), i.e. slurmstepd processes
# and job processes (SLURM_JOB_ID set), and its daemons that had not written their pid file yet
# (start.sh gave up while one was still starting); all inherit this SLURM_CONF in their
# environment from start.sh. This script and the processes it runs under are never in the list.
job_pids() {
  local p pid env comm self=" $$ " a=$$
  while [[ $a -gt 1 ]]; do
    a="$(awk '/^PPid:/ { print $2 }' "/proc/$a/status" 2>/dev/null || echo 1)"
    self+="$a "
  done
  for p in /proc/[0-9]*; do
    pid="${p#/proc/}"
    [[ $self == *" $pid "* ]] && continue
    alive "$pid" || continue
    env="$(tr '\0' '\n' 2>/dev/null <"$p/environ")" || continue
    grep -qxF "SLURM_CONF=$SLURM_CONF_FILE" <<<"$env" || continue
    comm="$(cat "$p/comm" 2>/dev/null)" || continue
    case " slurmstepd ${DAEMONS[*]} " in
      *" $comm "*) printf '%s\n' "$pid" ;;
      *) if grep -q '^SLURM_JOB_ID=' <<<"$env"; then printf '%s\n' "$pid"; fi ;;
    esac
  done
}

if daemon_pid slurmctld >/dev/null && [[ -f $SLURM_CONF_FILE ]]; then
  jobs="$(SLURM_CONF="$SLURM_CONF_FILE" squeue --noheader --format=%A 2>/dev/null | tr '\n' ' ' || true)"
  if [[ -n ${jobs// /} ]]; then
    log "cancelling jobs: $jobs"
    # shellcheck disable=SC2086
    SLURM_CONF="$SLURM_CONF_FILE" scancel $jobs || true
    for ((i = 0; i < 50; i++)); do
      [[ -z "$(SLURM_CONF="$SLURM_CONF_FILE" squeue --noheader --format=%A 2>/dev/null)" ]] && break
      sleep 0.2
    done
  fi
fi

targets=()
for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
  if pid="$(daemon_pid "${DAEMONS[i]}")"; then targets+=("${DAEMONS[i]}:$pid"); fi
done
for pid in $(job_pids); do
  [[ " ${targets[*]} " == *":$pid "* ]] && continue # a daemon found by its pid file
  targets+=("$(cat "/proc/$pid/comm" 2>/dev/null || echo job):$pid")
done
failed=0
if ((${#targets[@]} == 0)); then
  log "nothing of $SLURM_DIR is running"
else
  stop_all "${targets[@]}" || failed=1
fi
if ((failed == 0)); then
  for d in "${DAEMONS[@]}"; do rm -f "$(pid_file "$d")"; done
  ((${#targets[@]} == 0)) || log "stopped (nothing of $SLURM_DIR is running)"
fi
exit "$failed"
