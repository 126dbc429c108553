#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# measure.py: the arithmetic of scripts/bench.sh: counts transactions and SIP messages in
# tshark field output, and turns the measured runs into medians, ratios and the results CSV.
#
#   measure.py transactions FIELDS.txt        largest siptxn.txn (first column), and messages with one
#   measure.py messages FIELDS.txt            SIP messages: non-empty values of the first column
#   measure.py report RUNS.tsv --csv OUT.csv --messages N --transactions T [--scaling]
#   measure.py profile --without CG --tree CG --with CG --messages N    callgrind outputs -> where siptxn's cost goes
#
# RUNS.tsv has one line per run: messages, configuration, round, wall s, user s, system s, peak RSS KiB.
# Python 3 standard library only.

import argparse
import csv
import pathlib
import re
import statistics
import subprocess
import sys

CONFIGURATIONS = {
    "A": "tshark -r (without siptxn)",
    "B": "tshark -r (with siptxn)",
    "C": "tshark -T fields -e siptxn.txn -e siptxn.role -e siptxn.ack.class (with siptxn)",
    "D": "tshark -T fields -e sip.Call-ID -e sip.CSeq.seq -e sip.Method (without siptxn)",
    "E": "tshark -2 -r (with siptxn)",
    "F": "tshark -r (only a post-dissector that wants the sip field and does nothing)",
    "G": "tshark -r (that post-dissector doing the least an annotator must: state, accesses, Info text)",
    "M": "tshark -r (only Wireshark's MATE plugin grouping SIP messages into transactions: sip-transactions.mate)",
}

# Targets: (numerator, denominator, largest acceptable ratio).  B/F is siptxn's
# own work on top of what wanting a field costs any post-dissector (F/A): at
# most 5 %.
# The ratios reported; the performance budget is a guardrail, not a target
# (docs/performance.md): siptxn's overhead over tshark (B - A) at most half of
# MATE's for transaction grouping (M - A), peak RSS growth at most 450 bytes per
# transaction, and B/A at most 3 % above the previous version's, measured by two
# runs of this script in one session (--plugin with each version's siptxn.so).
RATIOS = (("B", "A"), ("C", "D"), ("B", "F"))
RSS_GUARDRAIL_BYTES_PER_TRANSACTION = 450
MATE_OVERHEAD_GUARDRAIL = 0.5


def values_of_first_column(path):
    """Every value of the first tab-separated column; a frame with several SIP
    messages lists them separated by commas."""
    with open(path, encoding="utf-8", errors="replace") as stream:
        for line in stream:
            column = line.rstrip("\n").split("\t", 1)[0]
            if column:
                yield from column.split(",")


def count_transactions(path):
    largest = 0
    for value in values_of_first_column(path):
        if value.isdigit():
            largest = max(largest, int(value))
    return largest


def count_messages(path):
    return sum(1 for value in values_of_first_column(path) if value)


class Run:
    __slots__ = ("messages", "configuration", "round", "wall", "user", "system", "rss_kib")

    def __init__(self, fields):
        self.messages = int(fields[0])
        self.configuration = fields[1]
        self.round = int(fields[2])
        self.wall = float(fields[3])
        self.user = float(fields[4])
        self.system = float(fields[5])
        self.rss_kib = int(fields[6])

    @property
    def cpu(self):
        return self.user + self.system


def read_runs(path):
    runs = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 7:
                raise SystemExit(f"measure.py: {path}:{number}: want 7 fields, got {len(fields)}")
            runs.append(Run(fields))
    return runs


class Summary:
    """Medians of one configuration at one capture size."""

    def __init__(self, runs):
        self.count = len(runs)
        self.wall = statistics.median(run.wall for run in runs)
        self.user = statistics.median(run.user for run in runs)
        self.system = statistics.median(run.system for run in runs)
        self.cpu = statistics.median(run.cpu for run in runs)
        self.rss_kib = statistics.median(run.rss_kib for run in runs)
        self.wall_spread = max(run.wall for run in runs) - min(run.wall for run in runs)


def summarize(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run.messages, run.configuration), []).append(run)
    return {key: Summary(group) for key, group in groups.items()}


def write_csv(path, runs, summaries):
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["messages", "configuration", "round", "wall_s", "user_s", "system_s", "cpu_s",
                         "peak_rss_kib", "description"])
        for run in runs:
            writer.writerow([run.messages, run.configuration, run.round, f"{run.wall:.2f}", f"{run.user:.2f}",
                             f"{run.system:.2f}", f"{run.cpu:.2f}", run.rss_kib,
                             CONFIGURATIONS.get(run.configuration, "")])
        for (messages, configuration), summary in sorted(summaries.items()):
            writer.writerow([messages, configuration, "median", f"{summary.wall:.2f}", f"{summary.user:.2f}",
                             f"{summary.system:.2f}", f"{summary.cpu:.2f}", f"{summary.rss_kib:.0f}",
                             CONFIGURATIONS.get(configuration, "")])


def verdict(value, limit):
    return "met" if value <= limit else "NOT met"


def report(arguments):
    runs = read_runs(arguments.runs)
    if not runs:
        raise SystemExit(f"measure.py: {arguments.runs}: no runs")
    summaries = summarize(runs)
    write_csv(arguments.csv, runs, summaries)
    size = arguments.messages
    main = {configuration: summary for (messages, configuration), summary in summaries.items() if messages == size}

    print(f"\nMedians at {size} SIP messages ({arguments.transactions} transactions):")
    print(f"  {'run':<3} {'wall s':>8} {'(spread)':>9} {'CPU s':>8} {'user s':>8} {'sys s':>7} {'peak RSS MiB':>13}"
          f"  description")
    for configuration in sorted(main):
        summary = main[configuration]
        print(f"  {configuration:<3} {summary.wall:8.2f} {summary.wall_spread:9.2f} {summary.cpu:8.2f} "
              f"{summary.user:8.2f} {summary.system:7.2f} {summary.rss_kib / 1024:13.1f}  "
              f"{CONFIGURATIONS.get(configuration, '')} x{summary.count}")

    print("\nRatios (medians):")
    failed = False
    for numerator, denominator in RATIOS:
        if numerator not in main or denominator not in main:
            continue
        wall = main[numerator].wall / main[denominator].wall
        cpu = main[numerator].cpu / main[denominator].cpu
        print(f"  {numerator}/{denominator}: wall {wall:.3f}, CPU {cpu:.3f}")
    if "F" in main and "A" in main:
        print(f"  F/A: wall {main['F'].wall / main['A'].wall:.3f}, CPU {main['F'].cpu / main['A'].cpu:.3f}"
              "   (a post-dissector that wants one field and does nothing: the floor; no target)")
    if "G" in main and "F" in main:
        model = main["G"].cpu / main["F"].cpu
        print(f"  G/F: wall {main['G'].wall / main['F'].wall:.3f}, CPU {model:.3f}"
              f"   (model {arguments.model or '?'}: bytes of state, random accesses, Info text per message;"
              " what any annotator adds before parsing or matching anything)")
    if "M" in main and "A" in main:
        a, m = main["A"], main["M"]
        print(f"  M/A: wall {m.wall / a.wall:.3f}, CPU {m.cpu / a.cpu:.3f}"
              "   (Wireshark's MATE grouping the SIP messages into transactions; no target)")
        if "B" in main and m.wall > a.wall and m.cpu > a.cpu:
            b = main["B"]
            wall = (b.wall - a.wall) / (m.wall - a.wall)
            cpu = (b.cpu - a.cpu) / (m.cpu - a.cpu)
            print(f"  siptxn's overhead against MATE's, (B-A)/(M-A): wall {wall:.3f}, CPU {cpu:.3f}"
                  f"   guardrail <= {MATE_OVERHEAD_GUARDRAIL:.2f} (at most half of MATE's): "
                  f"CPU {verdict(cpu, MATE_OVERHEAD_GUARDRAIL)}")
            failed |= cpu > MATE_OVERHEAD_GUARDRAIL
        elif "B" in main:
            print("  siptxn's overhead against MATE's: not measurable, MATE cost nothing over A in these runs")
    if "E" in main and "A" in main:
        print(f"  E/A: wall {main['E'].wall / main['A'].wall:.3f}, CPU {main['E'].cpu / main['A'].cpu:.3f}"
              "   (two-pass with siptxn against one pass without; no target)")
    if "A" in main and "B" in main and arguments.transactions > 0:
        growth = (main["B"].rss_kib - main["A"].rss_kib) * 1024
        per_transaction = growth / arguments.transactions
        per_message = growth / size
        print(f"  peak RSS growth B-A: {growth / 1048576:.1f} MiB = {per_transaction:.0f} bytes per transaction "
              f"({per_message:.0f} per SIP message)   guardrail <= {RSS_GUARDRAIL_BYTES_PER_TRANSACTION}: "
              f"{verdict(per_transaction, RSS_GUARDRAIL_BYTES_PER_TRANSACTION)}")
        failed |= per_transaction > RSS_GUARDRAIL_BYTES_PER_TRANSACTION
    if "A" in main and "M" in main and arguments.transactions > 0:
        growth = (main["M"].rss_kib - main["A"].rss_kib) * 1024
        print(f"  peak RSS growth M-A (MATE): {growth / 1048576:.1f} MiB = "
              f"{growth / arguments.transactions:.0f} bytes per transaction ({growth / size:.0f} per SIP message)"
              "   (no target)")

    if arguments.scaling:
        sizes = sorted({messages for messages, configuration in summaries
                        if configuration in ("A", "B") and (messages, "A") in summaries
                        and (messages, "B") in summaries})
        print("\nScaling (medians; per-message figures stay flat when growth is linear):")
        print(f"  {'messages':>9} {'A wall s':>9} {'B wall s':>9} {'A CPU s':>8} {'B CPU s':>8} {'B/A CPU':>8} "
              f"{'A us/msg':>9} {'B us/msg':>9} {'A RSS MiB':>10} {'B RSS MiB':>10} {'B-A bytes/msg':>14}")
        for messages in sizes:
            a, b = summaries[(messages, "A")], summaries[(messages, "B")]
            print(f"  {messages:>9} {a.wall:9.2f} {b.wall:9.2f} {a.cpu:8.2f} {b.cpu:8.2f} {b.cpu / a.cpu:8.3f} "
                  f"{a.cpu * 1e6 / messages:9.1f} {b.cpu * 1e6 / messages:9.1f} {a.rss_kib / 1024:10.1f} "
                  f"{b.rss_kib / 1024:10.1f} {(b.rss_kib - a.rss_kib) * 1024 / messages:14.0f}")
    print(f"\nResults written to {arguments.csv}")
    return 1 if failed and arguments.strict else 0


# ---------------------------------------------------------------- callgrind

ANNOTATE_LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def annotate(path, inclusive):
    """callgrind_annotate's function list: {function text: instructions}."""
    arguments = ["callgrind_annotate", "--threshold=100"] + (["--inclusive=yes"] if inclusive else []) + [path]
    output = subprocess.run(arguments, capture_output=True, text=True, check=True).stdout
    costs = {}
    for line in output.splitlines():
        match = ANNOTATE_LINE.match(line)
        if match:
            name = match.group(2)
            costs[name] = costs.get(name, 0) + int(match.group(1).replace(",", ""))
    return costs


def program_total(costs):
    return costs.get("PROGRAM TOTALS", 0)


def object_functions(costs, object_name, source_root):
    """{function: instructions} of the functions of one shared object; a function
    listed several times (inlined parts, recursion) keeps its largest figure.
    Functions that callgrind_annotate lists without an object, named by a file of
    the plugin's source tree or by none, are the plugin's too (static functions)."""
    functions = {}
    suffix = f"/{object_name}]"
    for name, cost in costs.items():
        if name.endswith(suffix):
            function = name[:name.rindex(" [")]
        elif " [" not in name and (name.startswith("???:") or name.startswith(source_root)):
            function = name
        else:
            continue
        function = function[function.rfind(":") + 1:].split("'")[0]
        functions[function] = max(functions.get(function, 0), cost)
    return functions


def mega(value):
    return f"{value / 1e6:,.0f} M"


def profile(arguments):
    without = program_total(annotate(arguments.without, inclusive=False))
    tree = program_total(annotate(arguments.tree, inclusive=False)) if arguments.tree else None
    inclusive = annotate(arguments.with_plugin, inclusive=True)
    exclusive = annotate(arguments.with_plugin, inclusive=False)
    total = program_total(exclusive)
    plugin_inclusive = object_functions(inclusive, arguments.object, arguments.source)
    plugin_self = sum(object_functions(exclusive, arguments.object, arguments.source).values())
    entry = plugin_inclusive.get(arguments.entry, 0)
    added = total - without
    messages = arguments.messages

    def row(label, value, extra=""):
        print(f"    {label:<66} {mega(value):>9}  {100.0 * value / added:5.1f}%{extra}")

    print(f"\nCallgrind, {messages} SIP messages: instructions executed (Ir), startup included")
    print(f"  {'without siptxn':<68} {mega(without):>9}")
    if tree is not None:
        print(f"  {'without siptxn, with a protocol tree (-Y frame)':<68} {mega(tree):>9}")
    print(f"  {'with siptxn':<68} {mega(total):>9}  (+{100.0 * added / without:.1f}%)")
    print(f"  siptxn adds {mega(added)} = {added / messages / 1000:.1f} k per SIP message:")
    if tree is not None:
        tree_part = tree - without
        row("a protocol tree for every frame (the post-dissector wants a field)", tree_part)
        row("the rest of epan's work for it (the SIP protocol items it asks for)",
            added - tree_part - entry)
    else:
        row("epan work outside the plugin's functions", added - entry)
    row(f"the plugin's own code ({arguments.entry} and all it calls)", entry,
        f"  = {100.0 * entry / total:.1f}% of the run with siptxn")
    row(f"  of which in {arguments.object} itself (self cost)", plugin_self)
    print(f"\n  {arguments.object} functions by inclusive cost (share of the run with siptxn, per message):")
    ranked = sorted(plugin_inclusive.items(), key=lambda item: item[1], reverse=True)
    for function, cost in ranked[:arguments.top]:
        print(f"    {100.0 * cost / total:6.2f}%  {cost / messages:9,.0f} Ir/msg  {function}")
    return 0


def main():
    parser = argparse.ArgumentParser(description="Arithmetic for scripts/bench.sh.")
    commands = parser.add_subparsers(dest="command", required=True)
    transactions = commands.add_parser("transactions", help="largest siptxn.txn in tshark -T fields output")
    transactions.add_argument("fields")
    messages = commands.add_parser("messages", help="non-empty values of the first column of -T fields output")
    messages.add_argument("fields")
    summary = commands.add_parser("report", help="medians, ratios and the results CSV")
    summary.add_argument("runs")
    summary.add_argument("--csv", required=True)
    summary.add_argument("--messages", type=int, required=True, help="size of the main capture")
    summary.add_argument("--transactions", type=int, default=0)
    summary.add_argument("--scaling", action="store_true", help="also print time and memory per capture size")
    summary.add_argument("--strict", action="store_true", help="exit 1 when a CPU or memory guardrail is not met")
    summary.add_argument("--model", help="run G's model, BYTES:ACCESSES:INFO, for the report")
    callgrind = commands.add_parser("profile", help="where siptxn's instructions go, from callgrind outputs")
    callgrind.add_argument("--without", required=True, help="callgrind output of tshark -r without siptxn")
    callgrind.add_argument("--tree", help="callgrind output of tshark -r -Y frame without siptxn")
    callgrind.add_argument("--with", dest="with_plugin", required=True, help="callgrind output with siptxn")
    callgrind.add_argument("--messages", type=int, required=True)
    callgrind.add_argument("--object", default="siptxn.so")
    callgrind.add_argument("--entry", default="dissect_siptxn", help="the plugin's dissector function")
    callgrind.add_argument("--top", type=int, default=15)
    callgrind.add_argument("--source", default=str(pathlib.Path(__file__).resolve().parents[2]),
                           help="the plugin's source tree, as named in its debugging information")
    arguments = parser.parse_args()
    if arguments.command == "profile":
        return profile(arguments)
    if arguments.command == "transactions":
        print(count_transactions(arguments.fields))
    elif arguments.command == "messages":
        print(count_messages(arguments.fields))
    else:
        return report(arguments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
