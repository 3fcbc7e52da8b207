#!/usr/bin/env bash
# Installs Debian's Slurm (slurmctld, slurmd, the client commands) and MUNGE, if they are missing.
#
# Idempotent: does nothing when every binary is already on the PATH. Works as root in a
# container without systemd: a temporary policy-rc.d keeps the packages' postinst scripts from
# starting the system-wide daemons (start.sh runs private ones instead).
#
# Exit status: 0 installed (or already there), 77 cannot install here (not root, no apt-get),
# 1 the installation failed.
set -euo pipefail

readonly PACKAGES=(slurm-wlm munge)
readonly BINARIES=(slurmctld slurmd sbatch squeue sinfo scontrol scancel munged munge)

log() { printf 'install.sh: %s\n' "$*" >&2; }

missing=()
for b in "${BINARIES[@]}"; do
  command -v "$b" >/dev/null 2>&1 || missing+=("$b")
done
if ((${#missing[@]} == 0)); then
  log "Slurm and MUNGE already installed ($(slurmctld -V 2>/dev/null || echo 'slurmctld, version unknown')); nothing to do"
  exit 0
fi
log "missing: ${missing[*]}"

if [[ $(id -u) -ne 0 ]]; then
  log "cannot install: not root (run as root, or: sudo apt-get install ${PACKAGES[*]})"
  exit 77
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "cannot install: no apt-get on this machine (install ${PACKAGES[*]} by other means)"
  exit 77
fi

# Keep invoke-rc.d from starting munge/slurmctld/slurmd system-wide during the installation.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=true
fi
cleanup() { if $own_policy; then rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
log "apt-get update"
apt-get update -q >/dev/null
log "apt-get install -y --no-install-recommends ${PACKAGES[*]}"
apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null

for b in "${BINARIES[@]}"; do
  if ! command -v "$b" >/dev/null 2>&1; then
    log "installation finished but $b is still missing"
    exit 1
  fi
done
log "installed $(slurmctld -V)"
