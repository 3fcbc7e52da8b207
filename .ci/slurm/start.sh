#!/usr/bin/env bash
# Starts a private single-node Slurm cluster on localhost: munged, slurmctld and slurmd, all
# configured, logging and keeping their state under EFQAT_SLURM_DIR (default /tmp/efqat-slurm).
#
# A machine's own /etc/slurm/slurm.conf and /etc/munge are never touched: the private
# configuration is found through SLURM_CONF, which this script prints as its only line on
# standard output, so that
#     eval "$(.ci/slurm/start.sh)"
# sets it for the calling shell (it is also written to $EFQAT_SLURM_DIR/env.sh).
#
# Every start is a fresh cluster (the controller's saved state is wiped; job ids begin at 1).
# Starting while this folder's daemons are already up and the node is idle does nothing.
#
# Environment:
#   EFQAT_SLURM_DIR            private folder (default /tmp/efqat-slurm)
#   EFQAT_SLURM_PORT           slurmctld's port; slurmd gets the next one (default 16817)
#   EFQAT_SLURM_START_TIMEOUT  seconds to wait for the node to become idle (default 60)
#
# Exit status: 0 the node is idle and takes jobs, 77 Slurm cannot run here (not installed, not
# root), 1 the daemons did not come up (their logs are printed, and whatever started is stopped).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"

port="${EFQAT_SLURM_PORT:-16817}"
timeout_s="${EFQAT_SLURM_START_TIMEOUT:-60}"

for b in munged mungekey slurmctld slurmd sinfo; do
  if ! command -v "$b" >/dev/null 2>&1; then
    log "cannot start: $b is not installed (run $here/install.sh as root)"
    exit "$EXIT_CANNOT_RUN"
  fi
done
if [[ $(id -u) -ne 0 ]]; then
  # slurmd must be root to start job steps (slurmstepd changes to the job's user).
  log "cannot start: slurmd needs root (running as $(id -un))"
  exit "$EXIT_CANNOT_RUN"
fi

print_env() { printf "export SLURM_CONF='%s'\n" "$SLURM_CONF_FILE"; }

running=0
for d in "${DAEMONS[@]}"; do
  if daemon_pid "$d" >/dev/null; then running=$((running + 1)); fi
done
if ((running == ${#DAEMONS[@]})) && [[ "$(node_state)" == idle ]]; then
  log "already running in $SLURM_DIR (node idle)"
  print_env
  exit 0
fi
if ((running > 0)); then
  log "$running of ${#DAEMONS[@]} daemons of an earlier start are running; stopping them first"
  "$here/stop.sh"
fi

# munged serves only a socket that every user can reach: each folder above it must be searchable.
d="$(dirname "$(realpath -m "$SLURM_DIR")")"
while [[ $d != / ]]; do
  if [[ -d $d && $(($(stat -c '%#a' "$d") & 1)) -eq 0 ]]; then
    log "cannot start: munged needs every folder above its socket searchable by all users," \
      "and $d is not (chmod o+x it, or choose another EFQAT_SLURM_DIR)"
    exit 1
  fi
  d="$(dirname "$d")"
done

started=false
on_exit() {
  local rc=$?
  if ((rc != 0)) && $started; then
    print_logs
    log "stopping what was started"
    "$here/stop.sh" || true
  fi
}
trap on_exit EXIT

node="$(hostname -s)"
cpus="$(nproc)"
mem_mib="$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
user="$(id -un)"
log "node $node: $cpus CPUs, $mem_mib MiB; folder $SLURM_DIR; ports $port, $((port + 1))"

# A fresh state every start; the MUNGE key is kept (it is only ever used on this machine).
rm -rf "$SLURM_DIR/state" "$SLURM_DIR/spool" "$RUN_DIR" "$LOG_DIR"
mkdir -p "$SLURM_DIR/state" "$SLURM_DIR/spool" "$RUN_DIR" "$LOG_DIR" "$MUNGE_DIR"
# munged wants the socket's folders searchable by every user (any user's job may ask it for a
# credential) but writable by no one else.
chmod 755 "$SLURM_DIR" "$MUNGE_DIR"

if [[ ! -s $MUNGE_DIR/munge.key ]]; then
  log "creating a MUNGE key"
  mungekey --create --keyfile="$MUNGE_DIR/munge.key"
fi
chmod 600 "$MUNGE_DIR/munge.key"

cat >"$SLURM_CONF_FILE" <<CONF
# Written by $0 for a private single-node test cluster. Not for production.
ClusterName=efqat-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user

AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge

StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldPidFile=$(pid_file slurmctld)
SlurmdPidFile=$(pid_file slurmd)
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

# No cgroups, no accounting: nothing that a container without systemd cannot offer.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true

# One CPU per array task, several tasks at once.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# Finished jobs stay visible to scontrol for 5 minutes (there is no sacct without accounting).
MinJobAge=300
ReturnToService=2
# Trust the node line below rather than draining the node over a small difference from slurmd -C.
SlurmdParameters=config_overrides

NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
print_env >"$SLURM_DIR/env.sh"
export SLURM_CONF="$SLURM_CONF_FILE"

started=true
log "starting munged"
munged --socket="$MUNGE_SOCKET" --key-file="$MUNGE_DIR/munge.key" \
  --pid-file="$(pid_file munged)" --log-file="$LOG_DIR/munged.log" \
  --seed-file="$MUNGE_DIR/munged.seed" </dev/null >>"$LOG_DIR/munged.log" 2>&1
# A credential round trip proves the socket and key before the Slurm daemons rely on them.
if ! munge --socket="$MUNGE_SOCKET" --no-input | unmunge --socket="$MUNGE_SOCKET" >/dev/null; then
  log "munged does not answer on $MUNGE_SOCKET"
  exit 1
fi
log "starting slurmctld"
slurmctld -c </dev/null >>"$LOG_DIR/slurmctld.log" 2>&1
log "starting slurmd"
slurmd </dev/null >>"$LOG_DIR/slurmd.log" 2>&1

deadline=$((SECONDS + timeout_s))
# A daemon writes its pid file only once it has forked into the background, so a missing pid file
# right after the start means "still starting"; a pid file whose process is gone, or none after
# this long, means it died (stop.sh also finds a daemon of this folder that has no pid file yet).
pid_grace=$((SECONDS + 15))
state=""
while ((SECONDS < deadline)); do
  state="$(node_state || true)"
  [[ $state == idle ]] && break
  for d in "${DAEMONS[@]}"; do
    if ! daemon_pid "$d" >/dev/null && { [[ -s "$(pid_file "$d")" ]] || ((SECONDS >= pid_grace)); }; then
      log "$d is not running"
      exit 1
    fi
  done
  sleep 0.5
done
if [[ $state != idle ]]; then
  log "node $node not idle after ${timeout_s}s (state: '${state:-no answer}')"
  exit 1
fi
log "node $node idle after ${SECONDS}s; use: source $SLURM_DIR/env.sh"
print_env
