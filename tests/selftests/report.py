#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns one selftests run (tests/selftests/guest.sh) into a results table.

Reads from the run's results folder:
  tests.tsv     path, exit code and seconds of every test the guest ran
  ksft/<path>.tap  each test's output (KTAP from the selftests' own libraries)
  results.txt   the guest's setup checks (lab.sh format)
and writes results.md and results.json beside them, prints every case as
"STATUS test case: reason" and ends with "N passed, N failed, N skipped".

A case's reason is what the selftest itself said: the text after "# SKIP" or
"# XFAIL", and for a failure the last line of its exception or check message.
A test that printed no cases at all (it crashed, timed out, or skipped as a
whole before its first case, or ran none at all: skipped) gets one row named
"-" from its exit code and its last words. XFAIL ("only works on netdevsim" and the like) counts as skipped.

With --must-pass FILE the run is also checked against the curated list (see
tests/selftests/c-must-pass.txt; entries of tests that did not run are left
out): must-pass.txt gets one line per entry in
the lab's result format ("PASS selftests/<entry>", "FAIL selftests/<entry>:
why", read by tests/run.sh) and the exit status is 1 if an entry did not
pass, 0 otherwise, whatever the other tests did.
"""

import argparse
import json
import re
import sys
from pathlib import Path

RESULT_RE = re.compile(r"^(not ok|ok) (\d+) (\S+)(?: # (.*))?$")
PLAN_RE = re.compile(r"^1\.\.(\d+)$")
# Exit codes of the kselftest conventions and of timeout(1).
KSFT_SKIP = 4
TIMEOUT_CODES = (124, 137)
REASON_MAX = 240


def clip(text):
    # Checks compare whole payloads (ping.py's 64 KiB strings): keep the
    # start of a long word and its length.
    words = [w if len(w) <= 48 else f"{w[:24]}...({len(w)} chars)" for w in text.split()]
    text = " ".join(words)
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 3] + "..."


def failure_reason(comments):
    """The most telling line of what a test printed before 'not ok'."""
    exc = [c[len("Exception|"):].strip() for c in comments
           if c.startswith("Exception|")]
    exc = [c for c in exc if c]
    if exc:
        # A failed command (CmdExitFailure) ends with its CMD, EXIT, STDOUT
        # and STDERR, stderr last; its first line names the cause as often
        # as its last one does, so both are kept.
        for i, line in enumerate(exc):
            if not line.startswith("CMD:"):
                continue
            what = line[len("CMD:"):].strip()
            err = []
            for ln in exc[i:]:
                if ln.startswith("STDERR:"):
                    err = [ln[len("STDERR:"):].strip()]
                elif err:
                    err.append(ln)
            err = [e for e in err if e]
            if not err:
                return f"{what}: {exc[-1]}"
            return f"{what}: {err[0]}" + (f" ... {err[-1]}" if len(err) > 1 else "")
        return exc[-1]
    # ksft's check helpers print "Check| At file, line N" and the code line,
    # then the message itself.
    plain = [c for c in comments if c and not c.startswith(("Check|", "Defer"))]
    if plain:
        return plain[-1]
    checks = [c for c in comments if c.startswith("Check|")]
    return checks[-1][len("Check|"):].strip() if checks else ""


def parse_tap(text):
    """Cases of one test's output: list of (case, status, reason), plan."""
    cases, comments, plan = [], [], None
    for raw in text.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw).rstrip()
        m = PLAN_RE.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = RESULT_RE.match(line)
        if m:
            ok, _, name, directive = m.groups()
            directive = directive or ""
            if directive.upper().startswith("SKIP"):
                status, reason = "skip", directive[4:].strip()
            elif directive.upper().startswith("XFAIL"):
                status, reason = "skip", "XFAIL " + directive[5:].strip()
            elif ok == "ok":
                status, reason = "pass", ""
            else:
                status = "fail"
                reason = directive or failure_reason(comments)
            cases.append((name, status, clip(reason)))
            comments = []
            continue
        if line.startswith("#"):
            comments.append(line.lstrip("#").strip())
        elif line:
            comments.append(line)
    return cases, plan, comments


def last_words(text):
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines
             if not ln.startswith(("TAP version", "1..", "# Totals:"))]
    return clip(lines[-1].lstrip("# ")) if lines else "no output"


def test_name(path):
    return Path(path).stem


def load_run(results):
    tests = []
    tsv = results / "tests.tsv"
    if not tsv.exists():
        return tests
    for line in tsv.read_text().splitlines():
        fields = line.split("\t")
        if len(fields) != 3:
            continue
        path, code, secs = fields
        tap = results / "ksft" / (path + ".tap")
        text = tap.read_text(errors="replace") if tap.exists() else ""
        rows = []
        if code == "missing":
            rows.append(("-", "fail", "test not installed in the lab (see the selftests stage of scripts/setup.sh)"))
        else:
            rc = int(code)
            cases, plan, tail = parse_tap(text)
            rows.extend(cases)
            if rc in TIMEOUT_CODES:
                rows.append(("-", "fail", f"timed out after {secs} s"))
            elif not cases:
                if rc == KSFT_SKIP:
                    rows.append(("-", "skip", last_words(text)))
                elif rc == 0:
                    # Passing without a single case (ethtool_rmon when the
                    # device has no histogram) tested nothing.
                    rows.append(("-", "skip", "no case ran: " + last_words(text)))
                else:
                    rows.append(("-", "fail", f"exit {rc}: {last_words(text)}"))
            elif plan is not None and len(cases) < plan:
                rows.append(("-", "fail", f"stopped after {len(cases)} of {plan} cases: "
                             + (failure_reason(tail) or last_words(text))))
            elif rc not in (0, KSFT_SKIP) and all(s != "fail" for _, s, _ in cases):
                rows.append(("-", "fail", f"exit {rc} although no case failed: {last_words(text)}"))
        tests.append({"test": test_name(path), "path": path, "exit": code,
                      "seconds": float(secs),
                      "cases": [{"case": c, "status": s, "reason": r} for c, s, r in rows]})
    return tests


def load_setup(results):
    rows = []
    f = results / "results.txt"
    if f.exists():
        for line in f.read_text().splitlines():
            status, _, rest = line.partition(" ")
            name, _, reason = rest.partition(": ")
            rows.append({"check": name, "status": status, "reason": reason})
    return rows


def load_must_pass(path):
    """Entries of the curated list: a test name or a test.case name."""
    entries = []
    for line in Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line.split()[0])
    return entries


def check_must_pass(entries, tests):
    """(entry, problem) for every entry that did not pass."""
    problems = []
    by_test = {t["test"]: t for t in tests}
    for entry in entries:
        if entry in by_test:
            cases = by_test[entry]["cases"]
            bad = [c for c in cases if c["status"] == "fail"]
            if bad:
                problems.append((entry, f"{bad[0]['case']}: {bad[0]['reason']}"))
            elif not any(c["status"] == "pass" for c in cases):
                problems.append((entry, "no case passed"))
            continue
        found = [c for t in tests for c in t["cases"] if c["case"] == entry]
        if not found:
            problems.append((entry, "did not run"))
        elif found[0]["status"] != "pass":
            problems.append((entry, f"{found[0]['status']}: {found[0]['reason']}"))
    return problems


def md_escape(text):
    return text.replace("|", "\\|")


def write_markdown(path, meta, setup, tests, counts, must):
    out = [f"# Kernel net selftests: {meta['driver']} driver", ""]
    out.append(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped "
               f"({len(tests)} tests, {meta['seconds']:.0f} s of test time)")
    out.append("")
    if must is not None:
        entries, problems = must
        out.append(f"Curated must-pass list: {len(entries) - len(problems)} of {len(entries)} ok")
        for entry, why in problems:
            out.append(f"- **{md_escape(entry)}**: {md_escape(why)}")
        out.append("")
    if setup:
        out += ["## Guest setup", "", "| check | result | reason |", "|---|---|---|"]
        for r in setup:
            out.append(f"| {md_escape(r['check'])} | {r['status']} | {md_escape(r['reason'])} |")
        out.append("")
    out += ["## Results", "", "| test | case | result | reason |", "|---|---|---|---|"]
    for t in tests:
        for c in t["cases"]:
            out.append(f"| {t['test']} | {md_escape(c['case'])} | {c['status']} | {md_escape(c['reason'])} |")
    out += ["", "## Tests", "", "| test | path | exit | seconds |", "|---|---|---|---|"]
    for t in tests:
        out.append(f"| {t['test']} | {t['path']} | {t['exit']} | {t['seconds']:.1f} |")
    path.write_text("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, help="the run's results folder")
    ap.add_argument("--driver", default="?", help="driver name for the report")
    ap.add_argument("--must-pass", type=Path, help="curated list to enforce")
    args = ap.parse_args()

    tests = load_run(args.results)
    setup = load_setup(args.results)
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for t in tests:
        for c in t["cases"]:
            counts[c["status"]] += 1
            reason = f": {c['reason']}" if c["reason"] else ""
            print(f"{c['status'].upper():4} {t['test']} {c['case']}{reason}")
    meta = {"driver": args.driver, "seconds": sum(t["seconds"] for t in tests)}

    must = None
    if args.must_pass:
        # Only the entries of the tests this run ran (make selftests
        # TESTS=ping checks ping's entries, not the whole list).
        ran = {t["test"] for t in tests}
        entries = [e for e in load_must_pass(args.must_pass) if e.split(".", 1)[0] in ran]
        problems = check_must_pass(entries, tests)
        must = (entries, problems)
        for entry, why in problems:
            print(f"MUST-PASS FAILED {entry}: {why}")
        bad = dict(problems)
        lines = [f"FAIL selftests/{e}: {bad[e]}" if e in bad else f"PASS selftests/{e}"
                 for e in entries]
        (args.results / "must-pass.txt").write_text("".join(ln + "\n" for ln in lines))

    doc = {"driver": args.driver, "summary": {"passed": counts["pass"], "failed": counts["fail"],
                                              "skipped": counts["skip"]},
           "setup": setup, "tests": tests}
    if must is not None:
        doc["must_pass"] = {"entries": must[0],
                            "failed": [{"entry": e, "reason": w} for e, w in must[1]]}
    (args.results / "results.json").write_text(json.dumps(doc, indent=2) + "\n")
    write_markdown(args.results / "results.md", meta, setup, tests, counts, must)

    if must is not None:
        print(f"must-pass: {len(must[0]) - len(must[1])} of {len(must[0])} ok")
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    return 1 if must is not None and must[1] else 0


if __name__ == "__main__":
    sys.exit(main())
