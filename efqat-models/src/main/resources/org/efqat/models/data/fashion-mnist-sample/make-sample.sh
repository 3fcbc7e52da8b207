#!/bin/sh
# Regenerates the bundled Fashion-MNIST sample in this folder from the original IDX files.
#
# Rule: the FIRST 6000 images of the training set and the FIRST 1000 images of the test set, in
# the original order, unchanged (no class balancing: the first 6000 training labels hold 560 to
# 643 images per class, the first 1000 test labels 87 to 115 per class). Only the count in each
# IDX header changes. Output is gzip -9 without name or timestamp (-n), so reruns are
# byte-identical.
#
# Usage: sh make-sample.sh [SOURCE_DIR]
#   SOURCE_DIR holds train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
#   t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz; default: the Debian package's folder
#   (apt-get install dataset-fashion-mnist).
set -eu
SRC=${1:-/usr/share/datasets/fashion-mnist}
DST=$(cd "$(dirname "$0")" && pwd)
TRAIN=6000
TEST=1000

# be32 N: N as 4 big-endian bytes
be32() {
  printf "$(printf '\\%03o\\%03o\\%03o\\%03o' \
    $(( ($1 >> 24) & 255 )) $(( ($1 >> 16) & 255 )) $(( ($1 >> 8) & 255 )) $(( $1 & 255 )))"
}

# cut KIND IN OUT COUNT: header with COUNT, then the first COUNT records of IN
cut_idx() {
  kind=$1 in=$2 out=$3 count=$4
  if [ "$kind" = images ]; then
    magic=2051 header=16 record=784   # 0x00000803, 28 x 28 unsigned bytes
  else
    magic=2049 header=8 record=1      # 0x00000801, one unsigned byte
  fi
  {
    be32 $magic
    be32 "$count"
    if [ "$kind" = images ]; then be32 28; be32 28; fi
    gzip -dc "$SRC/$in" | tail -c +$((header + 1)) | head -c $((count * record))
  } | gzip -9 -n > "$DST/$out"
}

cut_idx images train-images-idx3-ubyte.gz train-images-idx3-ubyte.gz $TRAIN
cut_idx labels train-labels-idx1-ubyte.gz train-labels-idx1-ubyte.gz $TRAIN
cut_idx images t10k-images-idx3-ubyte.gz t10k-images-idx3-ubyte.gz $TEST
cut_idx labels t10k-labels-idx1-ubyte.gz t10k-labels-idx1-ubyte.gz $TEST
