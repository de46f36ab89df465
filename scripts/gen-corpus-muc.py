#!/usr/bin/env python3
"""A bench corpus with a varied vocabulary: the MUC-3/4 news reports (read from
../shared/eval/muc34 at run time, never copied into the repository), as JSONL articles with
fresh ids, repeated to about SIZE_MB megabytes.

    scripts/gen-corpus-muc.py 100 > bench-data/corpus-muc-100mb.jsonl

The reports are upper case (wire copy of 1989-91), so the TABARI engine codes them in its
all-capitals mode. About 1,500 distinct reports and 20,000 word types, against the 8 example
articles of scripts/gen-corpus.sh.
"""
import glob
import json
import os
import re
import sys

size = int(sys.argv[1]) if len(sys.argv) > 1 else 100
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "eval", "muc34")
# the reports only: dev/dev-muc3-*, tst1/tst1-muc3, tst2/tst2-muc4 (not the answer keys)
files = sorted(glob.glob(os.path.join(root, "dev", "dev-muc3-*")) + glob.glob(os.path.join(root, "tst*", "tst*-muc*")))
if not files:
    sys.exit(f"gen-corpus-muc: no MUC reports under {root}")
reports = []
for path in files:
    with open(path, encoding="latin-1") as f:
        text = f.read()
    # each report starts with its id line, e.g. "DEV-MUC3-0001 (NOSC)"
    for part in re.split(r"^(?=(?:DEV|TST\d)-MUC\d-\d+)", text, flags=re.M):
        head, _, body = part.partition("\n")
        body = body.strip()
        if body:
            reports.append(body)
limit = size * 1_000_000
total = n = 0
out = sys.stdout
while total < limit:
    for body in reports:
        n += 1
        line = json.dumps({"id": f"muc-{n}", "date": "1990-01-03", "text": body}) + "\n"
        out.write(line)
        total += len(line)
        if total >= limit:
            break
