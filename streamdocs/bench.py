"""`make bench`: print timing figures. Figures only: nothing here passes or fails.

Run from the repository root with the project's environment: `python -m streamdocs.bench`.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from streamdocs.browser.server import pages
from streamdocs.paths import ROOT, SUITE, copy_project, page_url
from streamdocs.site import build as site_build

# The xdist workers `make test` runs (the Makefile's JOBS): the suite is timed as it runs.
JOBS = re.search(r"^JOBS \?= (\d+)$", (ROOT / "Makefile").read_text(), re.M)[1]


def timed(command: list[str], cwd: Path = ROOT, **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


def environment_setup() -> float:
    """`make`'s environment step in a scratch copy, as on a new machine: package caches
    empty (pip's and uv's), so every package is downloaded."""
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_project(Path(scratch), ["Makefile", "requirements.lock", "streamdocs"])
        env = {**os.environ, "UV_CACHE_DIR": f"{scratch}/uv-cache", "PIP_NO_CACHE_DIR": "1"}
        start = time.perf_counter()
        subprocess.run(
            ["make", ".venv/.installed-from-lock"],
            cwd=root, env=env, check=True, capture_output=True,
        )  # fmt: skip
        return time.perf_counter() - start


def sample_times() -> tuple[float, dict[str, float]]:
    """Wall time of the sample tests, and each sample's own share from pytest's report."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        wall = timed([sys.executable, "-m", "pytest", "-q", "tests/test_samples.py",
                      f"--junitxml={report}"])  # fmt: skip
        cases = ET.parse(report).getroot().iter("testcase")
        return wall, {case.get("name"): float(case.get("time")) for case in cases}


def answer_matrix_times() -> tuple[float, dict[str, list[float]]]:
    """The answer matrix: its wall time, and each cell's time by language (`python`, and
    `typescript`: a Node process a cell). Goal: <= 40 ms a Python cell."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        wall = timed([sys.executable, "-m", "pytest", "-q", "-n", "2",
                      "tests/test_answer_matrix.py", f"--junitxml={report}"])  # fmt: skip
        cells: dict[str, list[float]] = {"python": [], "typescript": []}
        for case in ET.parse(report).getroot().iter("testcase"):
            name = case.get("name", "")
            if name.startswith("test_sample_survives_the_answer"):
                cells["typescript" if "[ts/" in name else "python"].append(float(case.get("time")))
        return wall, {language: sorted(times) for language, times in cells.items()}


def typescript_checks() -> dict[str, float]:
    """The TypeScript samples' own costs: installing their packages (npm ci, the pinned
    Node), type-checking (tsc --strict) and the formatter's check."""
    from streamdocs import node

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "ts"
        copy.mkdir()
        for name in ("package.json", "package-lock.json"):
            (copy / name).write_bytes((node.PROJECT / name).read_bytes())
        install = timed([*node.npm_command(), "ci", "--no-audit", "--no-fund", "-q"],
                        cwd=copy, env=node.env())  # fmt: skip
    files = [p.name for p in sorted(node.PROJECT.glob("*.ts"))]
    return {
        "npm ci": install,
        "tsc --strict --noEmit": timed([*node.tool("tsc"), "-p", "snippets/ts", "--noEmit"]),
        "prettier --check": timed([*node.tool("prettier"), "--check", *files], cwd=node.PROJECT),
    }


def missing_cassette_time() -> tuple[float, float]:
    """A new sample with no cassette, in a scratch copy: (its test's time, the pytest wall time).
    Target: the writer reads "no cassette ... `make record`" in under two seconds."""
    with tempfile.TemporaryDirectory() as scratch:
        root = copy_project(Path(scratch), SUITE)
        (root / "snippets" / "bench_new.py").write_text("import anthropic\n")
        report = root / "report.xml"
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", "tests/test_samples.py::test_sample[bench_new]"],
            cwd=root, capture_output=True,
        )  # fmt: skip
        wall = time.perf_counter() - start
        [case] = ET.parse(report).getroot().iter("testcase")
        return float(case.get("time")), wall


def rebuild_on_save(page: str = "setup.md") -> float:
    """The writer's loop: seconds from saving a page under `mkdocs serve` to the rebuilt page.
    In a scratch copy, so the working tree is never touched."""
    import socket
    import urllib.request

    with tempfile.TemporaryDirectory() as scratch, socket.socket() as probe:
        root = copy_project(Path(scratch), ["docs", "snippets", "cassettes", "mkdocs.yml"])
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        url = f"http://127.0.0.1:{port}/{page_url(page)}"
        server = subprocess.Popen(
            [sys.executable, "-m", "streamdocs.site.serve", "-q",
             "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

        def served() -> str:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return response.read().decode()
            except OSError:
                return ""

        try:
            deadline = time.monotonic() + 180
            while not served() and time.monotonic() < deadline:
                time.sleep(0.2)
            marker = f"bench-marker-{time.time_ns()}"
            with open(root / "docs" / page, "a", encoding="utf-8") as source:
                source.write(f"\n{marker}\n")
            start = time.perf_counter()
            while marker not in served():
                if time.monotonic() > deadline + 120:
                    return float("nan")
                time.sleep(0.05)
            return time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(30)


def delta_to_print(pace: float = 0.1) -> tuple[float, int]:
    """Median seconds from the emulator writing a text delta to snippets/text_stream.py
    printing it, run as a reader would (`python -u`), and how many deltas were timed."""
    import os
    import select

    from streamdocs.emulator import Emulator

    with Emulator(delay=pace) as emulator:
        env = {
            **os.environ,
            "ANTHROPIC_API_KEY": "sk-ant-bench",
            "ANTHROPIC_BASE_URL": emulator.url,
        }
        process = subprocess.Popen(
            [sys.executable, "-u", str(ROOT / "snippets" / "text_stream.py")],
            stdout=subprocess.PIPE, env=env,
        )  # fmt: skip
        printed: list[float] = []
        while True:
            ready, _, _ = select.select([process.stdout], [], [], 30)
            chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
            if not chunk:
                break
            printed.append(time.monotonic())
        process.wait(30)
        sent = list(emulator.text_sent)
    # one print per delta at this pace; the last read is the closing newline
    latencies = sorted(p - s for p, s in zip(printed, sent, strict=False) if p >= s)
    return (latencies[len(latencies) // 2] if latencies else float("nan")), len(latencies)


# The Makefile's stamps for the Python environment and the TypeScript samples' packages.
ENVIRONMENT_TARGETS = (".venv/.installed-from-lock", "snippets/ts/node_modules/.package-lock.json")


def fresh_clone_to_green(reinstall_tools: bool = False) -> list[tuple[str, str]]:
    """A fresh clone to a passing `make test`, as CI runs it, split into its steps: the
    system tools (already on this machine: found, not installed), the environment (Python
    and Node packages, their caches empty, so every package is downloaded), and the suite
    (lint and pytest), with the five slowest tests. `reinstall_tools`
    (`python -m streamdocs.bench fresh --reinstall-tools`, root only): the tools' Debian
    packages are installed again from an emptied package cache first, for the figure with
    the tools' install."""
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        clone = Path(scratch) / "clone"
        env = {
            **os.environ,
            "UV_CACHE_DIR": f"{scratch}/uv-cache",
            "PIP_NO_CACHE_DIR": "1",
            "npm_config_cache": f"{scratch}/npm-cache",
            "PYTEST_ADDOPTS": "--durations=5 --durations-min=0",
        }
        steps = [("git clone", ["git", "clone", "-q", str(ROOT), str(clone)], ROOT)]
        if reinstall_tools:
            steps.append(("system tools installed again (apt-get)", _reinstall_tools(), clone))
        steps += [
            ("system tools (make tools; already installed)", ["make", "tools"], clone),
            (
                "environment (Python and Node packages, caches cold)",
                ["make", *ENVIRONMENT_TARGETS],
                clone,
            ),
            (f"suite (make test: lint and pytest -n {JOBS})", ["make", "test"], clone),
        ]
        total, output = 0.0, ""
        for label, command, cwd in steps:
            start = time.perf_counter()
            done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            total += seconds
            if done.returncode:
                last = (done.stdout + done.stderr).strip().splitlines()[-1:]
                rows.append(
                    (label, f"FAILED (exit {done.returncode}) after {seconds:.0f} s: {last}")
                )
                return rows
            rows.append((label, f"{seconds:.1f} s"))
            output = done.stdout
    rows.append(("fresh clone to make test green, 2 cores (goal <= 150 s)", f"{total:.0f} s"))
    for line in _slowest(output):
        rows.append(("  slowest: " + line[1], line[0]))
    return rows


def _slowest(pytest_output: str) -> list[tuple[str, str]]:
    """pytest's --durations lines: ("12.34s call", "tests/...::name")."""
    found = re.findall(r"^([\d.]+s) (call|setup|teardown)\s+(\S+)", pytest_output, re.MULTILINE)
    return [(f"{seconds} {phase}", test) for seconds, phase, test in found[:5]]


def _reinstall_tools() -> list[str]:
    """The Debian packages of the tools `make test` provisions (the Makefile's TOOLS, not
    the audit's npm), installed again with the package cache emptied first."""
    from streamdocs import tools

    names = re.search(r"^TOOLS := (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    packages = sorted({tools.TOOLS[name].package for name in names[1].split()})
    script = "apt-get clean && apt-get install -y -q --reinstall " + " ".join(packages)
    return ["sh", "-c", script]


def fault_table() -> list[tuple[str, str, str, str]]:
    """The complete example against each emulator fault, live: did it survive, what was lost."""
    from streamdocs.emulator import Emulator
    from streamdocs.samples import faults

    rows = []
    with Emulator() as emulator:
        for fault in faults.FAULTS:
            start = time.perf_counter()
            run = faults.run_complete_example(emulator, fault)
            seconds = time.perf_counter() - start
            survived = "yes" if run.survived else f"NO (exit {run.exit_code})"
            rows.append((fault.scenario, survived, str(run.characters_lost), f"{seconds:.2f} s"))
    return rows


def relay_load(count: int = 200, pace: float = 0.02) -> list[tuple[str, str]]:
    """The resumable relay's bounded load run: `count` answers at once through nginx to two
    workers (Redis, the emulator behind), each read to its end and checked for lost or
    doubled events. Figures: throughput, time to first text, the workers' peak memory."""
    from streamdocs import demo, relay_stack
    from streamdocs.emulator import Emulator
    from streamdocs.samples import matrix

    question = "Write a report on ocean currents."  # 45 events
    users = [f"load-{n}" for n in range(count // 2)]  # each may have 2 answers at once
    tokens = [f"{user}-token" for user in users]
    with tempfile.TemporaryDirectory() as scratch, Emulator(delay=pace) as emulator:
        env = {
            "ANTHROPIC_API_KEY": demo.KEY,
            "ANTHROPIC_BASE_URL": emulator.url,
            "RELAY_TOKENS": ",".join(f"{u}:{t}" for u, t in zip(users, tokens, strict=True)),
        }
        with relay_stack.Stack(Path(scratch), env) as stack:
            nginx = f"http://127.0.0.1:{stack.nginx.port}"  # not through the test proxy
            answers, wall = relay_stack.load_run(nginx, tokens, count, question)
            memory = [worker.peak_memory_kib() / 1024 for worker in stack.workers]
        expected = matrix.facts(emulator.scenarios["text_ocean_report"],
                                emulator.requests[-1]["json"]).text  # fmt: skip
    bad = [a for a in answers if relay_stack.lost_or_doubled(a, expected)]
    events = sum(len(a.events) for a in answers)
    firsts = sorted(a.first_text for a in answers if a.first_text is not None)
    p99 = firsts[min(len(firsts) - 1, int(len(firsts) * 0.99))] if firsts else float("nan")
    p50 = firsts[len(firsts) // 2] if firsts else float("nan")
    name = f"relay load run ({count} answers at once, nginx, 2 workers, {pace} s/event)"
    return [
        (f"{name}: answers with an event lost or doubled (goal 0)", f"{len(bad)}"),
        (f"{name}: wall time", f"{wall:.1f} s"),
        (f"{name}: throughput", f"{count / wall:.1f} answers/s, {events / wall:.0f} events/s"),
        (f"{name}: time to first text, p50 / p99", f"{p50 * 1000:.0f} / {p99 * 1000:.0f} ms"),
        (f"{name}: workers' peak memory", " / ".join(f"{m:.0f} MiB" for m in memory)),
    ]


def generated_faults() -> list[tuple[str, str]]:
    """`make test`'s generated faults (streamdocs/samples/variants.py), run as its test
    runs them: how many, the wall time, and the time a case takes."""
    from streamdocs.emulator import Emulator
    from streamdocs.loopback import api_certificate
    from streamdocs.samples import matrix, pool, variants

    every = [v for sample in matrix.samples() for v in variants.generate(sample)]
    with tempfile.TemporaryDirectory() as scratch:
        context, ca_file = api_certificate(scratch)
        with Emulator(tls=context) as emulator, pool.Pool(pool.size()) as workers:
            start = time.perf_counter()
            workers.warm()  # the workers start before the clock that matters
            started = time.perf_counter() - start
            start = time.perf_counter()
            ran = variants.run(every, emulator, workers, (emulator.tls_port, ca_file))
            wall = time.perf_counter() - start
    seconds = sorted(run.seconds for _, run, _ in ran)
    kinds = " / ".join(str(sum(v.kind == k for v in every)) for k in variants.CLASSES)
    name = f"generated faults ({pool.size()} workers)"
    return [
        (f"{name}: cases (cut / stall / model / credentials)", f"{len(every)} ({kinds})"),
        (
            f"{name}: wall time (budget 90 s on 2 cores)",
            f"{wall:.1f} s, workers started {started:.1f} s",
        ),
        (
            f"{name}: time per case, median / max",
            f"{seconds[len(seconds) // 2] * 1000:.0f} / {seconds[-1] * 1000:.0f} ms",
        ),
    ]


# What a first visit to a page downloads besides the page: its stylesheets, scripts,
# images and icon (the search script, its index and worker load only when searching).
RESOURCE = re.compile(
    r'<(?:link rel="(?:stylesheet|icon)" href|script src|img [^>]*?src)="([^"#?]+)"'
)


def _transfer(path: Path) -> int:
    """Bytes on the wire: text gzip-compressed, as `make audit`'s server and static hosts do."""
    data = path.read_bytes()
    if path.suffix in {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt"}:
        return len(gzip.compress(data, 6))
    return len(data)


def page_weights() -> list[tuple[str, str]]:
    """Each page's first-visit weight, gzip, from a build with the post-build step (the
    Lighthouse figure is in `make audit`); the heaviest page and what it loads."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        built = site_build.build(root)
        if built.returncode:
            raise SystemExit(built.stderr)
        weights: dict[str, dict[str, int]] = {}
        for path in pages(root):
            html = root / path / "index.html"
            parts = {"page": _transfer(html)}
            for url in RESOURCE.findall(html.read_text(encoding="utf-8")):
                resource = (html.parent / url).resolve()
                if resource.is_file():
                    parts[resource.relative_to(root).as_posix()] = _transfer(resource)
            weights["/" + path] = parts
    totals = sorted((sum(parts.values()), path) for path, parts in weights.items())
    heaviest = totals[-1][1]
    parts = ", ".join(
        f"{name} {size / 1024:.1f}" for name, size in sorted(
            weights[heaviest].items(), key=lambda item: -item[1])
    )  # fmt: skip
    return [
        (f"page weight, gzip, heaviest of {len(totals)} (goal <= 60 KiB)",
         f"{totals[-1][0] / 1024:.1f} KiB ({heaviest})"),
        ("page weight, gzip, median", f"{totals[len(totals) // 2][0] / 1024:.1f} KiB"),
        ("heaviest page's parts, KiB gzip", parts),
    ]  # fmt: skip


def kit() -> list[tuple[str, str]]:
    """The emulator kit as tests/test_kit.py uses it: `make wheel`, the offline install into a
    fresh venv (the locked packages repacked from .venv), and the page's sample suite run in
    it against every answer and break (its tests, the share skipped, the wall time)."""
    import shutil

    from streamdocs import wheelhouse

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        start = time.perf_counter()
        wheel = wheelhouse.kit(folder / "dist")
        built = time.perf_counter() - start
        start = time.perf_counter()
        python = wheelhouse.fresh_kit(folder / "fresh", wheel)
        installed = time.perf_counter() - start
        project = folder / "project"
        project.mkdir()
        for name in ("reply.py", "test_reply.py"):
            shutil.copy(ROOT / "snippets" / name, project / name)
        report = project / "report.xml"
        start = time.perf_counter()
        subprocess.run(
            [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", "test_reply.py"],
            cwd=project, capture_output=True,
        )  # fmt: skip
        suite = time.perf_counter() - start
        cases = list(ET.parse(report).getroot().iter("testcase"))
        skipped = sum(any(c.tag == "skipped" for c in case) for case in cases)
    return [
        ("kit: make wheel", f"{built:.1f} s"),
        ("kit: offline install into a fresh venv (repack + venv + pip)", f"{installed:.1f} s"),
        (
            f"kit: the page's suite in it ({len(cases)} tests, {skipped} skipped)",
            f"{suite:.1f} s",
        ),
    ]


def print_rows(rows: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    print(f"{'figure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main() -> None:
    if sys.argv[1:] == ["relay"]:  # `python -m streamdocs.bench relay`: that part alone
        print_rows(relay_load())
        return
    if sys.argv[1:] == ["pages"]:  # `python -m streamdocs.bench pages`: page weights alone
        print_rows(page_weights())
        return
    if sys.argv[1:] == ["faults"]:  # `python -m streamdocs.bench faults`: that part alone
        print_rows(generated_faults())
        return
    if sys.argv[1:2] == ["fresh"]:  # `python -m streamdocs.bench fresh [--reinstall-tools]`
        print_rows(fresh_clone_to_green(reinstall_tools="--reinstall-tools" in sys.argv))
        return
    if sys.argv[1:] == ["kit"]:  # `python -m streamdocs.bench kit`: that part alone
        print_rows(kit())
        return
    rows: list[tuple[str, str]] = []
    rows.append(("environment setup from the lock", f"{environment_setup():.1f} s"))
    suite = timed([sys.executable, "-m", "pytest", "-q", "-n", JOBS, "--dist", "loadgroup"])
    rows.append((f"test suite wall time (pytest -n {JOBS}, as make test)", f"{suite:.1f} s"))
    wall, per_sample = sample_times()
    rows.append((f"sample tests wall time ({len(per_sample)} cases)", f"{wall:.2f} s"))
    for language, marker in (("Python", False), ("TypeScript", True)):
        times = sorted(s for name, s in per_sample.items() if ("[ts/" in name) == marker)
        if times:
            rows.append(
                (
                    f"{language} replay time per case, median",
                    f"{times[len(times) // 2] * 1000:.0f} ms",
                )
            )
            rows.append((f"{language} replay time per case, max", f"{times[-1] * 1000:.0f} ms"))
    wall, cells = answer_matrix_times()
    rows.append(("answer matrix wall time (pytest -n 2)", f"{wall:.1f} s"))
    for language, times in cells.items():
        if not times:
            continue
        label = "Python" if language == "python" else "TypeScript (a Node process each)"
        rows.append((f"answer matrix cells, {label}", f"{len(times)}"))
        goal = " (goal <= 40 ms)" if language == "python" else ""
        median = times[len(times) // 2] * 1000
        rows.append((f"answer matrix time per cell, median, {label}{goal}", f"{median:.0f} ms"))
        rows.append((f"answer matrix time summed over cells, {label}", f"{sum(times):.1f} s"))
    for name, seconds in typescript_checks().items():
        rows.append((f"TypeScript samples: {name}", f"{seconds:.1f} s"))
    test_time, wall = missing_cassette_time()
    rows.append(("missing cassette reported, test time (target < 2 s)", f"{test_time:.2f} s"))
    rows.append(("missing cassette reported, pytest wall time", f"{wall:.1f} s"))
    with tempfile.TemporaryDirectory() as site:
        seconds = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site])
        rows.append(("strict build (mkdocs build --strict)", f"{seconds:.1f} s"))
    rows.append(("save a page to rebuilt page (make serve)", f"{rebuild_on_save():.1f} s"))
    rows.extend(page_weights())
    latency, _ = delta_to_print()
    rows.append(
        ("text delta written to printed, median (goal <= 10 ms)", f"{latency * 1000:.1f} ms")
    )
    rows.extend(generated_faults())
    rows.extend(kit())
    rows.extend(relay_load())
    # last: it runs the whole of `make test` again, in a clone
    rows.extend(fresh_clone_to_green())
    print_rows(rows)

    # Survived: exit code and message as documented. Lost characters must be 0.
    print()
    header = ("fault scenario (complete_example.py)", "survived", "chars lost", "run time")
    table = [header, *fault_table()]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *table[1:]]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
