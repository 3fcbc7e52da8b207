#!/usr/bin/env bash
# Runs the WordNet-supersense study of the README in order: the FP fine-tune with W8A8 PTQ, PTQ at
# W4A8 and W4A4, then one epoch of EfQAT (cwpn, cwpl, lwpn at p = 0.1 and 0.05) and plain QAT, first
# at W4A4 (PTQ loses about 50 points there) and then at W4A8 (PTQ loses under one point). Every run
# resumes where it stopped (run the script again after an interruption); finished runs are kept.
# Needs the full WordNet (Debian's wordnet-base, or EFQAT_WORDNET).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dir=experiments/wordnet
./efqat run "$dir/minilm-fp.yaml" --until PTQ
./efqat run "$dir/minilm-w4a8-ptq.yaml" --until PTQ
./efqat run "$dir/minilm-w4a4-ptq.yaml" --until PTQ
for bits in w4a4 w4a8; do
  for f in cwpn-p0.1 qat cwpn-p0.05 cwpl-p0.1 cwpl-p0.05 lwpn-p0.1 lwpn-p0.05; do
    ./efqat run "$dir/minilm-$bits-$f.yaml"
  done
  if [[ -f "$dir/minilm-$bits-none.yaml" ]]; then
    ./efqat run "$dir/minilm-$bits-none.yaml"
  fi
done
