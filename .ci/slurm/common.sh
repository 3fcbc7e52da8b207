# shellcheck shell=bash disable=SC2034
# Shared by start.sh, stop.sh and smoke.sh; sourced, not run.
#
# Everything of the private cluster lives under one folder (EFQAT_SLURM_DIR, default
# /tmp/efqat-slurm): slurm.conf, the MUNGE key and socket, the daemons' state, spool, logs and
# pid files. Nothing under /etc is read or written; every Slurm command finds the private
# configuration through SLURM_CONF.

EFQAT_SLURM_DIR="${EFQAT_SLURM_DIR:-/tmp/efqat-slurm}"
readonly SLURM_DIR="$EFQAT_SLURM_DIR"
readonly SLURM_CONF_FILE="$SLURM_DIR/slurm.conf"
readonly RUN_DIR="$SLURM_DIR/run"
readonly LOG_DIR="$SLURM_DIR/log"
readonly MUNGE_DIR="$SLURM_DIR/munge"
readonly MUNGE_SOCKET="$MUNGE_DIR/munge.socket.2"
# Start order; stop.sh stops them in reverse.
readonly DAEMONS=(munged slurmctld slurmd)

# The exit status that tells callers (the JUnit test, CI) "Slurm cannot run here", as opposed to
# "Slurm ran and something failed" (1). 77 is the autotools convention for a skipped test.
readonly EXIT_CANNOT_RUN=77

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# Whether a process is alive. A zombie is not: in a container whose init reaps late, an ended
# daemon can stay a zombie for a while, and kill -0 still succeeds on it.
alive() {
  local state
  state="$(awk '/^State:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# Prints the pid of a daemon started from this folder if it is alive, else fails.
daemon_pid() {
  local file pid
  file="$(pid_file "$1")"
  [[ -s $file ]] || return 1
  pid="$(<"$file")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  # The pid may have been reused by an unrelated process since the daemon died.
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$1" ]] || return 1
  printf '%s' "$pid"
}

# Prints the state of the single node as sinfo reports it (idle, mixed, down*, ...).
node_state() {
  SLURM_CONF="$SLURM_CONF_FILE" sinfo --noheader --Node --format=%T 2>/dev/null | head -n 1
}

print_logs() {
  local f
  for f in "$LOG_DIR"/*.log; do
    [[ -e $f ]] || continue
    printf '%s\n----- last lines of %s -----\n' '' "$f" >&2
    tail -n 30 "$f" >&2
  done
}
