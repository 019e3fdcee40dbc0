#!/bin/bash
# Adding one document to the 10,000-document bench corpus, timed for two builds of the code in alternation: this
# working tree (A) and another checkout (B), each on its own output directory, with the same new document in each
# pair. The host's speed drifts over minutes; alternating pairs is what makes two versions comparable.
#
# usage: pipelines/build-corpus/scripts/ab-add-one.sh <other checkout, built> <pairs> [seed]
# e.g.   git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci && npx tsc -b)
#        npm run bench -- --sizes 10000   # makes .bench/corpus-10000 and .bench/out-10000
#        pipelines/build-corpus/scripts/ab-add-one.sh /tmp/base 5
# Prints, per build: A or B, seconds (whole process), documents written, peak RSS MiB, CPU user+sys seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
other=$1; pairs=$2; seed=${3:-7000}
corpus=$here/.bench/corpus-10000
[ -d "$corpus" ] && [ -d "$here/.bench/out-10000" ] || { echo "run npm run bench -- --sizes 10000 first" >&2; exit 2; }
outB=${AB_OUT_B:-/tmp/ab-out-B}
[ -d "$outB" ] || cp -a "$here/.bench/out-10000" "$outB"
# Each side's output is first brought up to date with its own code (an output made by other code is rewritten whole).
node "$here/pipelines/build-corpus/dist/bench-child.js" "$corpus" "$here/.bench/out-10000" 2 on > /dev/null
node "$other/pipelines/build-corpus/dist/bench-child.js" "$corpus" "$outB" 2 on > /dev/null
for i in $(seq 1 "$pairs"); do
  node --input-type=module -e "
    const s = await import('$here/pipelines/build-corpus/dist/synthetic.js');
    const fs = await import('node:fs');
    fs.writeFileSync('/tmp/ab-added.txt', [...s.syntheticCorpus(s.seedParagraphs('$here/fixtures'), 1, $seed + $i)][0].text);"
  for side in A B; do
    if [ $side = A ]; then code=$here; out=$here/.bench/out-10000; else code=$other; out=$outB; fi
    cp /tmp/ab-added.txt "$corpus/zz-added.txt"
    sync
    result=$( { /usr/bin/time -f "cpu %U %S" node "$code/pipelines/build-corpus/dist/bench-child.js" "$corpus" "$out" 2 on; } 2>&1 )
    rm -f "$corpus/zz-added.txt"
    seconds=$(echo "$result" | grep -o '"seconds":[0-9.]*' | cut -d: -f2)
    written=$(echo "$result" | grep -o '"written":[0-9]*' | cut -d: -f2)
    rss=$(echo "$result" | grep -o '"maxRssMiB":[0-9]*' | cut -d: -f2)
    cpu=$(echo "$result" | grep -o 'cpu [0-9.]* [0-9.]*' | awk '{print $2 + $3}')
    printf '%s %.2f s  written %s  rss %s MiB  cpu %s s\n' $side "$seconds" "$written" "$rss" "$cpu"
  done
done
