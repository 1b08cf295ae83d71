#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns the KTAP output of a Python VM suite (ksft_run) into the lab's
result lines, the one place that does:

    ktap.py SUITE EXIT_CODE < suite.ktap >> results.txt

"ok N suite.case" is "PASS suite/case", "not ok" is "FAIL suite/case:
<why>" (see reason()), "# SKIP why" and "# XFAIL why" keep their
word; a failure whose message says XPASS is an XPASS. Case names read as
the bash suites named them: "load_unload_cycles" is "load-unload-cycles",
a variant "channels.1" is "channels-1". A suite that planned N cases and
reported fewer, ran none, or exited without its totals line gets a FAIL of
its own ("suite/run"), so nothing passes without having run. Exits 1 if a
line is a FAIL or an XPASS.
"""
import re
import sys

RESULT = re.compile(r"^(not )?ok (\d+) ([^ #]+)(?: # (SKIP|XFAIL)\b ?(.*))?$")
EXCEPTION = re.compile(r"^(?:[\w]+\.)*(\w*(?:Error|Exception|Failure|Ex|Interrupt)\b.*)$")


def reason(msgs):
    """Why a case failed: the exception that ended it with what follows
    (a failed command's exit and stderr); else its first failed check
    (ksft's "Check failed ..."), with how many more failed after it; else
    its last message. Cleanup that runs after a failed check (deferred
    calls) logs too, so the last message alone can hide the cause."""
    if not msgs:
        return "no message"
    for i in range(len(msgs) - 1, -1, -1):
        if m := EXCEPTION.match(msgs[i]):
            return "; ".join([m.group(1)] + msgs[i + 1:])[:300]
    checks = [t for t in msgs if t.startswith("Check failed")]
    if checks:
        more = f" (and {len(checks) - 1} more failed checks)" if len(checks) > 1 else ""
        return (checks[0] + more)[:300]
    return msgs[-1][:300]


def name_of(suite, raw):
    if raw.startswith(suite + "."):
        raw = raw[len(suite) + 1:]
    return raw.replace("_", "-").replace(".", "-")


def convert(suite, lines, exit_code):
    out, plan, msgs, totals = [], None, [], False
    for line in lines:
        line = line.rstrip("\n")
        if m := re.match(r"^1\.\.(\d+)$", line):
            plan = int(m.group(1))
            continue
        if line.startswith("# Totals:"):
            totals = True
            continue
        if line.startswith("#"):
            text = re.sub(r"^(Exception|Check|Defer Exception)\|", "", line.lstrip("#").strip()).strip()
            if text:
                msgs.append(text)
            continue
        m = RESULT.match(line)
        if not m:
            continue
        failed, _, raw, word, why = m.groups()
        name = f"{suite}/{name_of(suite, raw)}"
        if failed:
            xpass = next((t for t in reversed(msgs) if "XPASS:" in t), None)
            if xpass:
                out.append(f"XPASS {name}: {xpass[xpass.index('XPASS:') + 6:].strip()}")
            else:
                out.append(f"FAIL {name}: {reason(msgs)}")
        elif word:
            out.append(f"{word} {name}: {why or 'no reason given'}")
        else:
            out.append(f"PASS {name}")
        msgs = []
    ran = len(out)
    last = reason(msgs)
    if plan is None or ran == 0:
        out.append(f"FAIL {suite}/run: no test ran (exit {exit_code}): {last}")
    elif ran < plan:
        out.append(f"FAIL {suite}/run: stopped after {ran} of {plan} cases (exit {exit_code}): {last}")
    elif not totals:
        out.append(f"FAIL {suite}/run: no totals line (exit {exit_code}): {last}")
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out = convert(sys.argv[1], sys.stdin, sys.argv[2])
    print("\n".join(out))
    sys.exit(1 if any(l.startswith(("FAIL", "XPASS")) for l in out) else 0)


if __name__ == "__main__":
    main()
