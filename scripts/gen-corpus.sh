#!/usr/bin/env bash
# Make a JSONL corpus of about SIZE_MB megabytes by repeating our example articles with
# fresh ids: scripts/gen-corpus.sh 100 > bench-data/corpus-100mb.jsonl
set -euo pipefail
size_mb=${1:-100}
src="$(dirname "$0")/../examples/articles.jsonl"
awk -v limit=$((size_mb * 1000000)) '
  { lines[NR] = $0 }
  END {
    total = 0; n = 0
    while (total < limit) {
      for (i = 1; i <= NR && total < limit; i++) {
        n++
        line = lines[i]
        sub(/"id": *"[^"]*"/, "\"id\": \"gen-" n "\"", line)
        print line
        total += length(line) + 1
      }
    }
  }' "$src"
