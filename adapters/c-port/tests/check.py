#!/usr/bin/env python3
"""Replays protocol sessions against the c-port driver and compares every reply.

A session file NAME.jsonl holds lines `> REQUEST` (sent to the driver) and `< REPLY` (the
reply expected to the request before it, compared as JSON values); `#` lines and blank lines
are comments. In a request, $TRACE stands for a fresh trace file path; when NAME.trace.ndjson
exists, the trace written there must equal it record for record, except that a line holding a
JSON list stands for its records in any order (real threads that the same step woke write their
return records in the order they get to run); seq must count 0, 1, 2, ... in any case. Expected
replies and traces are written by hand from the man pages' rules, never copied from the
driver's output.

Usage: check.py BINARY DIR          every DIR/*.jsonl must pass
       check.py --must-fail BINARY DIR   every DIR/*.jsonl must fail (the checker's own test)
"""
import json
import os
import subprocess
import sys
import tempfile


def load_session(path):
    steps = []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("> "):
                steps.append([no, line[2:], None])
            elif line.startswith("< "):
                if not steps or steps[-1][2] is not None:
                    raise ValueError(f"{path}:{no}: a reply without its request")
                steps[-1][2] = json.loads(line[2:])
            else:
                raise ValueError(f"{path}:{no}: line must start with '> ', '< ' or '#'")
    for no, _, expected in steps:
        if expected is None:
            raise ValueError(f"{path}:{no}: request without an expected reply")
    return steps


def run_session(binary, path):
    """Returns a list of failure messages (empty: the session passed)."""
    steps = load_session(path)
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "trace.ndjson")
        payload = "".join(req.replace("$TRACE", trace) + "\n" for _, req, _ in steps)
        try:
            proc = subprocess.run([binary], input=payload, capture_output=True, text=True,
                                  timeout=60)
        except subprocess.TimeoutExpired:
            return [f"{path}: the driver did not finish within 60 s"]
        failures = []
        replies = proc.stdout.splitlines()
        if proc.returncode != 0:
            failures.append(f"{path}: exit status {proc.returncode}: {proc.stderr[-500:]}")
        if len(replies) != len(steps):
            failures.append(f"{path}: {len(steps)} requests, {len(replies)} replies")
        for (no, req, expected), got in zip(steps, replies):
            try:
                got_v = json.loads(got)
            except ValueError:
                failures.append(f"{path}:{no}: reply is not JSON: {got}")
                continue
            if got_v != expected:
                failures.append(f"{path}:{no}: {req}\n  expected {json.dumps(expected)}\n"
                                f"  got      {got}")
        want_trace = path[: -len(".jsonl")] + ".trace.ndjson"
        if os.path.exists(want_trace):
            with open(want_trace, encoding="utf-8") as f:
                want = [json.loads(l) for l in f if l.strip() and not l.startswith("#")]
            got = []
            if os.path.exists(trace):
                with open(trace, encoding="utf-8") as f:
                    got = [json.loads(l) for l in f if l.strip()]
            failures += compare_trace(want_trace, want, got)
        return failures


def compare_trace(name, want, got):
    """want: records, or lists of records that may come in any order."""
    seqs = [r.get("seq") for r in got]
    if seqs != list(range(len(got))):
        return [f"{name}: seq is not 0, 1, 2, ...: {seqs}"]
    strip = lambda r: json.dumps({k: v for k, v in r.items() if k != "seq"}, sort_keys=True)
    pos = 0
    for item in want:
        group = item if isinstance(item, list) else [item]
        part = got[pos:pos + len(group)]
        if sorted(map(strip, group)) != sorted(map(strip, part)):
            return [f"{name}: record {pos}\n  expected {json.dumps(item)}\n"
                    f"  got      {json.dumps(part if isinstance(item, list) else part[:1])}"]
        if not isinstance(item, list) and item.get("seq", pos) != pos:
            return [f"{name}: record {pos} expected seq {item.get('seq')}"]
        pos += len(group)
    if pos != len(got):
        return [f"{name}: {pos} records expected, {len(got)} written"]
    return []


def main(argv):
    must_fail = argv[1:2] == ["--must-fail"]
    if must_fail:
        argv = argv[1:]
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, folder = argv[1], argv[2]
    sessions = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".jsonl"))
    if not sessions:
        print(f"check.py: no sessions in {folder}", file=sys.stderr)
        return 2
    bad = 0
    for s in sessions:
        failures = run_session(binary, s)
        if must_fail:
            if failures:
                print(f"caught {os.path.basename(s)}: {failures[0].splitlines()[0]}")
            else:
                print(f"NOT CAUGHT {s}: a session with a wrong expectation passed")
                bad += 1
        elif failures:
            bad += 1
            print(f"FAIL {s}")
            for f in failures:
                print("  " + f)
        else:
            print(f"PASS {os.path.basename(s)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
