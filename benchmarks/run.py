"""Time guidelint against its peers on one generated corpus, in one run.

    python benchmarks/run.py --n 10000 [--n 100000] [--runs 5] [--markdown benchmarks/RESULTS.md]
                             [--python PATH]

Every case runs as a separate process on the same corpus; each time is the median of `--runs`
runs, and memory is the peak resident set of the largest process of a run. The cases:

* guidelint cold: the whole corpus, all rule families and the corpus pass, without a cache in
  two ways: `--no-cache`, and a first run that fills the cache (the first run a user makes);
* guidelint warm: the same again with the cache filled and nothing changed;
* pre-commit: one changed file named inside the corpus (the rest comes from the cache), against
  the same file alone in an empty folder;
* `guidelint --version` against `python -c pass`;
* check-jsonschema (the peer) validating the same front matter, extracted to YAML files since it
  cannot read Markdown, against the same schema;
* the floor: one Python process that reads every file and loads its front matter with PyYAML's
  C loader, and does nothing else.

guidelint is timed as installed for `--python` (the Python of a virtual environment that has
guidelint: its `guidelint` program beside it, else `python -m guidelint`), by default the Python
running this script; `python -c pass` and the floor use the same Python, so one table per
Python compares like with like.
check-jsonschema is taken from PATH, else installed into `benchmarks/out/peers` with pip.
guidelint's modules are compiled to bytecode first, as pip compiles an installed package's.
The corpus is written to a temporary folder (or `--dir`) and never inside the repository.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


SCHEMA = REPO / "schema" / "guideline.schema.json"
FIRST_RUN = "guidelint first run (no cache yet; it fills one)"
FLOOR = """
import sys
from pathlib import Path
import yaml
loader = yaml.CSafeLoader
count = 0
for path in sorted(Path(sys.argv[1]).glob("*.md")):
    text = path.read_text("utf-8")
    if text.startswith("---\\n"):
        end = text.find("\\n---", 4)
        if end > 0:
            yaml.load(text[4:end], Loader=loader)
            count += 1
print(count)
"""


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mb: float
    exit_code: int


# GNU time reports the peak memory of the command alone. A child's own peak would also count
# the memory of this process, which it shares from the fork until it starts the command.
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


def run_once(command: Sequence[str], cwd: Path, before: Callable[[], None] | None) -> Timing:
    if before is not None:
        before()
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        wrapped = [GNU_TIME, "-f", "%M", "-o", peak.name, *command] if GNU_TIME else command
        start = time.perf_counter()
        process = subprocess.Popen(
            wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env()
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        if process.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
        kilobytes = int(peak.read().split()[-1]) if GNU_TIME else usage.ru_maxrss
    return Timing(elapsed, kilobytes / 1024, process.returncode)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    return env


@dataclass
class Case:
    name: str
    seconds: float
    peak_mb: float
    note: str = ""


def measure(
    name: str,
    command: Sequence[str],
    cwd: Path,
    runs: int,
    before: Callable[[], None] | None = None,
    note: str = "",
) -> Case:
    timings = [run_once(command, cwd, before) for _ in range(runs)]
    case = Case(
        name,
        statistics.median(t.seconds for t in timings),
        max(t.peak_mb for t in timings),
        note,
    )
    print(f"  {name:<44} {case.seconds:8.3f} s  {case.peak_mb:7.1f} MB", file=sys.stderr)
    return case


def find_check_jsonschema() -> Path:
    on_path = shutil.which("check-jsonschema")
    if on_path:
        return Path(on_path)
    venv = HERE / "out" / "peers"
    program = venv / "bin" / "check-jsonschema"
    if not program.exists():
        print("installing check-jsonschema into benchmarks/out/peers", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "check-jsonschema"],
            check=True,
        )
    return program


def extract_front_matter(corpus: Path, out: Path) -> list[Path]:
    """Each file's front matter as a YAML file, for a peer that cannot read Markdown."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(corpus.glob("*.md")):
        text = path.read_text("utf-8")
        end = text.find("\n---", 4)
        target = out / (path.stem + ".yaml")
        target.write_text(text[4 : end + 1], "utf-8")
        written.append(target)
    return written


def version_of(command: Sequence[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return "?"
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if done.stdout or done.stderr else "?"
    )


def cache_folder(python: str, project: Path) -> Path:
    """Where the guidelint installed for `python` keeps `project`'s cache."""
    script = (
        "import sys; from pathlib import Path; "
        "from guidelint.cache.folder import default_cache_folder; "
        "print(default_cache_folder(Path(sys.argv[1])))"
    )
    done = subprocess.run(
        [python, "-c", script, str(project)], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip())


def python_version(python: str) -> str:
    return version_of([python, "-c", "import platform; print(platform.python_version())"])


def machine(python: str) -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {python_version(python)}"
    )


def compile_guidelint(python: str) -> None:
    """Bytecode for guidelint's modules, as a regular install has.

    pip compiles a package's modules when it installs it, as it did check-jsonschema's; an
    editable install (the README's `pip install -e`) leaves that to the first import, which
    writes them, unless PYTHONDONTWRITEBYTECODE is set. With it set, every timed run would
    compile guidelint's own sources again: 30 ms a run, and in each worker process.
    """
    script = (
        "import compileall, importlib.util; from pathlib import Path; "
        "spec = importlib.util.find_spec('guidelint'); "
        "spec and spec.origin and compileall.compile_dir(Path(spec.origin).parent, quiet=1)"
    )
    subprocess.run([python, "-c", script], check=True, stdout=subprocess.DEVNULL)


def benchmark(n: int, runs: int, folder: Path, peers: bool, python: str) -> list[Case]:
    corpus = folder / f"corpus-{n}"
    if not corpus.exists():
        print(f"generating {n} files in {corpus}", file=sys.stderr)
        # In another process: the generator's memory must not be shared into every timed run.
        script = "import sys; from benchmarks.generate import main; main()"
        subprocess.run(
            [sys.executable, "-c", script, str(corpus), "--n", str(n), "--seed", "1"],
            cwd=REPO,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # A guideline repository's configuration: it also makes this folder the corpus root.
        (corpus / "guidelint.toml").write_text("# benchmark corpus\n", "utf-8")
    # The installed program, as users run it: `python -m` would put the corpus folder on the
    # import path, and listing 100,000 names there costs every run 60 ms.
    program = Path(python).with_name("guidelint")
    guidelint = [str(program)] if program.exists() else [python, "-m", "guidelint"]
    cache = cache_folder(python, corpus)  # the corpus's guidelint.toml makes it the project
    cases: list[Case] = []
    print(f"{n} files, median of {runs} runs:", file=sys.stderr)

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    cases.append(
        measure("guidelint cold (no cache)", [*guidelint, "-q", "--no-cache", "."], corpus, runs)
    )
    cases.append(measure(FIRST_RUN, [*guidelint, "-q", "."], corpus, runs, drop_cache))
    run_once([*guidelint, "-q", "."], corpus, None)  # fill the cache
    cases.append(
        measure("guidelint warm (cache, nothing changed)", [*guidelint, "-q", "."], corpus, runs)
    )

    changed = sorted(corpus.glob("*.md"))[n // 2]
    original = changed.read_text("utf-8")
    alone_folder = folder / f"alone-{n}"
    shutil.rmtree(alone_folder, ignore_errors=True)
    alone_folder.mkdir()
    (alone_folder / "guidelint.toml").write_text("# one file\n", "utf-8")
    alone = alone_folder / changed.name
    edits = iter(range(10**6))

    def change(target: Path) -> Callable[[], None]:
        def edit() -> None:
            target.write_text(original + f"\nEdited {next(edits)}.\n", "utf-8")

        return edit

    try:
        cases.append(
            measure(
                "pre-commit: one changed file in the corpus",
                [*guidelint, "-q", changed.name],
                corpus,
                runs,
                change(changed),
            )
        )
        cases.append(
            measure(
                "the same file alone in an empty folder",
                [*guidelint, "-q", alone.name],
                alone_folder,
                runs,
                change(alone),
            )
        )
    finally:
        changed.write_text(original, "utf-8")
    cases.append(measure("guidelint --version", [*guidelint, "--version"], corpus, runs))
    cases.append(measure("python -c pass", [python, "-c", "pass"], corpus, runs))
    if peers:
        extracted = extract_front_matter(corpus, folder / f"front-matter-{n}")
        peer = find_check_jsonschema()
        command = [str(peer), "--schemafile", str(SCHEMA), *map(str, extracted)]
        cases.append(measure("check-jsonschema, schema only", command, folder, runs))
        cases.append(
            measure(
                "floor: read + PyYAML CSafeLoader load",
                [python, "-c", FLOOR, str(corpus)],
                corpus,
                runs,
            )
        )
    return cases


def ratios(cases: list[Case], n: int) -> list[tuple[str, float, str]]:
    by = {case.name: case for case in cases}
    cold = by["guidelint cold (no cache)"].seconds
    first = by[FIRST_RUN].seconds
    out = [
        (
            "warm / cold",
            by["guidelint warm (cache, nothing changed)"].seconds / cold,
            "at most 0.10",
        ),
        (
            "one changed file in the corpus / the file alone",
            by["pre-commit: one changed file in the corpus"].seconds
            / by["the same file alone in an empty folder"].seconds,
            "at most 2 (the issue sets it for the 10k corpus)",
        ),
        (
            "--version / python -c pass",
            by["guidelint --version"].seconds / by["python -c pass"].seconds,
            "at most 4",
        ),
        ("cold, ms per file", 1000 * cold / n, "no worse at 100k than at 10k"),
        ("warm / first run", by["guidelint warm (cache, nothing changed)"].seconds / first, "-"),
        ("cold, peak memory (MB)", by[FIRST_RUN].peak_mb, "under 400 at 100k"),
    ]
    if "check-jsonschema, schema only" in by:
        out.insert(
            0,
            (
                "check-jsonschema / guidelint cold",
                by["check-jsonschema, schema only"].seconds / cold,
                "at least 10",
            ),
        )
        out.insert(
            1,
            (
                "check-jsonschema / guidelint first run",
                by["check-jsonschema, schema only"].seconds / first,
                "-",
            ),
        )
        out.insert(
            2,
            (
                "guidelint cold / floor",
                cold / by["floor: read + PyYAML CSafeLoader load"].seconds,
                "at most 2",
            ),
        )
    return out


def render(results: dict[int, list[Case]], runs: int, python: str) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine(python)}.",
        f"{version_of([python, '-m', 'guidelint', '--version'])}; "
        f"peer: {version_of([str(find_check_jsonschema()), '--version'])}. "
        f"Median of {runs} runs per case; peak memory is the largest process of a run. "
        "guidelint's modules are compiled to bytecode before timing, as pip compiles an "
        "installed package's.",
        "",
        "Regenerate with `python benchmarks/run.py --n 10000 --n 100000 --markdown "
        "benchmarks/RESULTS.md` (check-jsonschema is installed into benchmarks/out/ if absent).",
    ]
    for n, cases in results.items():
        lines += [
            "",
            f"## {n:,} files",
            "",
            "| case | time (s) | peak memory (MB) |",
            "|---|---:|---:|",
        ]
        lines += [f"| {c.name} | {c.seconds:.3f} | {c.peak_mb:.0f} |" for c in cases]
        lines += ["", "| ratio | measured | target |", "|---|---:|---|"]
        lines += [
            f"| {name} | {value:.3f} | {target} |" for name, value, target in ratios(cases, n)
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="corpus size; may be repeated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="where corpora are kept between runs")
    parser.add_argument(
        "--peers-up-to",
        type=int,
        default=20_000,
        metavar="N",
        help="run check-jsonschema and the floor only on corpora of at most N files "
        "(check-jsonschema takes about 2.4 ms a file); 0 skips them",
    )
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--python",
        default=sys.executable,
        metavar="PATH",
        help="the Python whose installed guidelint is timed (default: this one)",
    )
    args = parser.parse_args()
    found = shutil.which(args.python)
    if found is None:
        parser.error(f"--python {args.python}: no such program")
    python = str(Path(found).absolute())  # timed runs start in the corpus folder
    sizes = args.n or [10_000]
    folder = args.dir or Path(tempfile.mkdtemp(prefix="guidelint-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    compile_guidelint(python)
    results = {
        n: benchmark(n, args.runs, folder.resolve(), n <= args.peers_up_to, python) for n in sizes
    }
    table = render(results, args.runs, python)
    print(table, end="")
    if args.markdown:
        args.markdown.write_text(table, "utf-8")


if __name__ == "__main__":
    main()
