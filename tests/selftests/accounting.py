#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that no selftest drops out silently.

Every test of tests/selftests/tests.txt (the whole of drivers/net and
drivers/net/hw) must either be on both must-pass lists (as the test or as
some of its cases) or have a whole-test entry in left-out.txt that says
why it is not. Every must-pass or left-out entry must name a test of
tests.txt, so that a renamed or removed test cannot leave a stale entry.
Prints one line per problem and exits 1 if there is any.
"""

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
DRIVERS = ("c", "rust")


def entries(name):
    """First field of every non-comment line of a list file."""
    out = []
    for line in (HERE / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line.split()[0])
    return out


def test_of(entry):
    """The test an entry names: "rss_ctx.test_rss_resize" -> "rss_ctx"."""
    return entry.split(".", 1)[0]


def main():
    tests = entries("tests.txt")
    known = set(tests)
    problems = []
    covered = {}
    for drv in DRIVERS:
        covered[drv] = set()
        for e in entries(f"{drv}-must-pass.txt"):
            if test_of(e) not in known:
                problems.append(f"{drv}-must-pass.txt: {e}: no such test in tests.txt")
            covered[drv].add(test_of(e))
    left_out = set()
    for e in entries("left-out.txt"):
        t = test_of(e)
        if t not in known:
            problems.append(f"left-out.txt: {e}: no such test in tests.txt")
        if e == t:
            left_out.add(t)
    for t in tests:
        missing = [d for d in DRIVERS if t not in covered[d]]
        if missing and t not in left_out:
            problems.append(f"{t}: not on the must-pass list of {' and '.join(missing)}, "
                            "and no whole-test entry in left-out.txt says why")
    for p in problems:
        print(p)
    print(f"{len(tests)} tests: {len(tests) - len(left_out)} on both must-pass lists "
          f"or accounted case by case, {len(left_out)} with a reason in left-out.txt, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
