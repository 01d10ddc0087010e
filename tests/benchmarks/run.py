"""Benchmarks for estimate-checker: each figure a ratio taken in one run, against its target.

    make bench        (or: .venv/bin/python tests/benchmarks/run.py [--quick] [--only PARTS] [--scale 1,8,32])

Prints a table (median of several runs, with min and max) and writes the same to
reports/benchmarks.json. A missed target is reported as missed (with a profile of the largest
notebook when the suite figure is missed). The whole run takes about half an hour on two cores:
the test suite runs four times and the main job over up to 32 copies of every case.
Speed is measured here and never asserted in a test.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from estimates import paths, report, runner  # noqa: E402

PY = sys.executable


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def interleaved(*fns, repeat: int) -> tuple[list[float], ...]:
    """Time each of ``fns`` in turn, ``repeat`` rounds, so that drift in the machine's speed hits all alike."""
    times = tuple([] for _ in fns)
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            ts += timed(fn, 1)
    return times


def stats(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "runs": len(xs)}


def row(name: str, ours: list[float], base: list[float], target: float | None, what: str, base_name: str) -> dict:
    """One figure: the ratio of the medians, against its target (None: shown for reference only)."""
    ratio = statistics.median(ours) / statistics.median(base)
    return {"figure": name, "what": what, "ours_s": stats(ours), "baseline": base_name, "baseline_s": stats(base),
            "ratio": ratio, "target": target, "met": None if target is None else ratio <= target}


def bench_units(repeat: int, n: int) -> list[dict]:
    import models
    bounds = models.inputs()
    models.with_units(bounds, 10_000), models.bare_numpy(bounds, 10_000)  # warm imports
    ours, bare = interleaved(lambda: models.with_units(bounds, n), lambda: models.bare_numpy(bounds, n), repeat=repeat)
    rows = [row("units on Monte Carlo", ours, bare, 1.10,
                f"notebook 01's fire-rate model, {n:,} samples, with units / bare numpy", "bare numpy")]
    try:
        models.squiggle(bounds, 10_000)
        ours2, sq = interleaved(lambda: models.with_units(bounds, n), lambda: models.squiggle(bounds, n), repeat=repeat)
        rows.append(row("units against squigglepy", ours2, sq, 1.00,
                        f"the same model, {n:,} samples, with units / squigglepy (no units)", "squigglepy"))
    except ImportError:
        print("squigglepy is not installed: `make bench` installs tests/benchmarks/requirements.txt", file=sys.stderr)
    return rows


def bench_import(repeat: int) -> dict:
    def run(code):
        return lambda: subprocess.run([PY, "-c", code], check=True)
    ours, base = interleaved(run("import estimates"), run("import numpy, pint"), repeat=repeat)
    return row("package import", ours, base, 1.30, "`import estimates` (registry loaded) / `import numpy, pint`",
               "import numpy, pint")


#: What strict nbval may ignore, as `make test` runs it (pyproject.toml, with its kernels' plugin)
SANITIZE = HERE.parent / "nbval-sanitize.cfg"


def _pytest(*args: str, cwd: Path, name: str, env: dict | None = None) -> None:
    """pytest with ``args`` from ``cwd``; a failure raises with pytest's summary lines (which tests or
    cells), its whole output (why: nbval's differences, a test's traceback) kept in
    reports/benchmarks-<name>-failure.txt."""
    done = subprocess.run([PY, "-m", "pytest", "-q", "-rfE", *args], cwd=cwd, capture_output=True, text=True, env=env)
    if done.returncode:
        kept = paths.reports_dir() / f"benchmarks-{name}-failure.txt"
        report._write_atomic(kept, done.stdout + done.stderr)
        summary = [ln for ln in done.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))][:5]
        raise RuntimeError(f"{name} failed (pytest's output: {kept}): " + ("; ".join(summary) or done.stdout[-2000:]))


def _nbval(folder: Path, *options: str, env: dict | None = None) -> None:
    """Strict nbval over every notebook below ``folder`` (``options``: pytest's, such as xdist's)."""
    _pytest("--nbval", "--nbval-current-env", "--nbval-sanitize-with", str(SANITIZE), "-p", "estimates.kernels",
            "-p", "no:cacheprovider", "-o", "addopts=", *options, "--rootdir", str(folder), str(folder), cwd=folder,
            name="nbval", env=env)


def _one_cell_notebook(code: str):
    import nbformat
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


#: Prints, at the end of a notebook's run, every public module its kernel has loaded.
LOADED = ("import json as _json, sys as _sys\n"
          "print(_json.dumps(sorted(m for m in _sys.modules if not any(p.startswith('_') for p in m.split('.')))))")


def modules_loaded(nb: Path) -> list[str]:
    """The public modules a notebook's kernel has loaded when it ends (its own imports and those the
    package makes lazily while it runs), less those a kernel that runs nothing has loaded."""
    import nbformat

    def loaded(notebook) -> set[str]:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp, "probe.ipynb")
            notebook.cells.append(nbformat.v4.new_code_cell(LOADED))
            nbformat.write(notebook, copy)
            run = runner.execute_notebook(copy)
            assert run.ok, run.error
            return set(json.loads(run.nb["cells"][-1]["outputs"][-1]["text"]))
    return sorted(loaded(nbformat.read(nb, as_version=4)) - loaded(_one_cell_notebook("pass")))


def fair_floor_cell(modules: list[str]) -> str:
    """A cell that imports ``modules`` and does nothing else (quietly: a module that warns or cannot
    be imported on its own is passed over, as it costs the real notebook nothing either)."""
    return ("import importlib, warnings\n"
            "with warnings.catch_warnings():\n"
            "    warnings.simplefilter('ignore')\n"
            f"    for name in {modules!r}:\n"
            "        try:\n"
            "            importlib.import_module(name)\n"
            "        except Exception:\n"
            "            pass\n")


def bench_suite(repeat: int) -> list[dict]:
    """Strict nbval over the notebooks against two floors of as many notebooks: a fair one, whose
    notebooks import every module the real ones have loaded by their end, so that the ratio is the
    cost of the analysis itself; and the import-only one (``import estimates``), kept for reference."""
    import nbformat
    notebooks = runner.find_notebooks(paths.NOTEBOOKS)
    with tempfile.TemporaryDirectory() as tmp:
        real, fair, floor = Path(tmp, "real"), Path(tmp, "fair"), Path(tmp, "floor")
        for nb in notebooks:  # each case's notebooks in its own folder, as in notebooks/
            for folder in (real, fair, floor):
                (folder / nb.parent.name).mkdir(parents=True, exist_ok=True)
            (real / nb.parent.name / nb.name).write_bytes(nb.read_bytes())
            nbformat.write(_one_cell_notebook(fair_floor_cell(modules_loaded(nb))), fair / nb.parent.name / nb.name)
            nbformat.write(_one_cell_notebook("import estimates"), floor / nb.parent.name / nb.name)
        ours, fair_s, floor_s = interleaved(lambda: _nbval(real), lambda: _nbval(fair), lambda: _nbval(floor),
                                            repeat=repeat)
    n = len(notebooks)
    return [row("test suite (strict nbval)", ours, fair_s, 1.50,
                f"strict nbval over the {n} notebooks / {n} that import every module the real ones load",
                "notebooks that import what the real ones import"),
            row("  against import-only floor", ours, floor_s, None,
                f"strict nbval over the {n} notebooks / {n} that only import the package (for reference)",
                "notebooks that import the package")]


def bench_make_test(repeat: int) -> dict:
    """``make test``'s command (pytest-xdist, a worker per core, each notebook's cells in one worker)
    against the same suite run serially."""
    def pytest(*options):
        return lambda: _pytest(*options, cwd=paths.ROOT, name="make-test")
    ours, serial = interleaved(pytest("-n", "auto", "--dist", "loadscope"), pytest("-n", "0"), repeat=repeat)
    return row("make test in parallel", ours, serial, 0.70,
               f"the whole test suite with pytest-xdist on {os.cpu_count()} cores (as `make test`) / serially",
               "the same suite, serially")


def bench_parallel(repeat: int) -> dict:
    notebooks = runner.find_notebooks(paths.NOTEBOOKS)
    jobs = os.cpu_count() or 1
    sink = open(os.devnull, "w")
    ours, base = interleaved(lambda: runner.run_all(notebooks, jobs, out=sink),
                             lambda: runner.run_all(notebooks, 1, out=sink), repeat=repeat)
    return row("main job in parallel", ours, base, 0.65,
               f"the runner on all notebooks, --jobs {jobs} (default) / --jobs 1", "one notebook at a time")


#: The notebook whose headline check the what-if figure moves, and the commit the audit's cost is set against.
WHAT_IF_NOTEBOOK = "2023-11-01-thehindu-afp-nk-russia-artillery/02-containers-tonnage-and-transfers.ipynb"
BEFORE_AUDIT = "7d126cd"


def bench_what_if(repeat: int) -> dict:
    """One what-if move of the first article's headline: the check rebuilt with the munitions share fixed,
    judged whole (every route, the whole audit) and its record's table made, as the control prints it;
    against the issue's budget of 0.3 s."""
    from estimates.explore import what_if_text
    from tests.notebook_code import declared_names
    names = declared_names(paths.NOTEBOOKS / WHAT_IF_NOTEBOOK)
    check, claim, check_id = names["rounds"], names["nis"], names["CHECK"]
    check.judge()  # as in the notebook: the answer cell judges the check before any control moves
    values = [0.5 + 0.45 * i / max(repeat - 1, 1) for i in range(repeat)]
    ours = [timed(lambda v=v: what_if_text(check, claim, check_id, {"munitions_share": v}), 1)[0] for v in values]
    return row("what-if, whole verdict", ours, [0.3], 1.0,
               "one move of the headline's munitions share: every route and the whole audit judged again, "
               "the record printed / the issue's budget of 0.3 s", "a budget of 0.3 s")


def bench_audit(repeat: int) -> dict:
    """A cold `make report` (every notebook run, no cache) with the declared, audited checks against the
    same at the commit before them, from a worktree of it beside this checkout, alternated."""
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before"
        subprocess.run(["git", "-C", str(paths.ROOT), "worktree", "add", "--detach", "--quiet", str(old), BEFORE_AUDIT],
                       check=True)
        try:
            def cold(root: Path, tag: str):
                def go():
                    env = {**os.environ, "PYTHONPATH": str(root), "ESTIMATE_CHECKER_CACHE": str(Path(tmp) / f"cache-{tag}"),
                           "ESTIMATE_CHECKER_REPORTS": str(Path(tmp) / f"reports-{tag}")}
                    shutil.rmtree(env["ESTIMATE_CHECKER_CACHE"], ignore_errors=True)
                    command = ["estimates", "report"] if (root / "estimates" / "__main__.py").is_file() else ["estimates.runner"]
                    subprocess.run([PY, "-m", *command, "--force"], cwd=root, env=env, check=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                return go
            ours, base = interleaved(cold(paths.ROOT, "now"), cold(old, "before"), repeat=repeat)
        finally:
            subprocess.run(["git", "-C", str(paths.ROOT), "worktree", "remove", "--force", str(old)], check=False)
    return row("audit's cost: cold make report", ours, base, 1.5,
               f"every notebook run cold with the declared, audited checks / the same at {BEFORE_AUDIT}, "
               "from a worktree beside this checkout", f"cold make report at {BEFORE_AUDIT}")


def peak_memory_mib(nb: Path) -> float:
    """Peak resident memory of the kernel that runs ``nb`` (the largest child of a fresh process)."""
    code = ("import resource; from estimates.execute import execute_notebook; "
            f"r = execute_notebook({str(nb)!r}); assert r.ok, r.error; "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    kib = int(subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True).stdout.split()[-1])
    return kib / 1024


def bench_memory() -> tuple[dict, Path]:
    per = {nb: peak_memory_mib(nb) for nb in runner.find_notebooks(paths.NOTEBOOKS)}
    largest = max(per, key=per.get)
    return ({"figure": "kernel peak memory", "what": f"peak resident memory of the kernel running {largest.name}, "
             "the largest notebook", "peak_mib": per[largest],
             "per_notebook_mib": {nb.name: round(v, 1) for nb, v in per.items()}}, largest)


def profile_notebook(nb: Path, top: int = 18) -> str:
    """cProfile of a notebook's code run as a script (Agg backend): where its time goes."""
    import nbformat
    from nbconvert import PythonExporter
    source, _ = PythonExporter().from_notebook_node(nbformat.read(nb, as_version=4))
    source = source.replace("get_ipython()", "(lambda: None)()")
    script = Path(tempfile.mkdtemp()) / "profiled.py"
    script.write_text("import matplotlib\nmatplotlib.use('Agg')\nfrom IPython.display import display\n" + source)
    out = subprocess.run([PY, "-m", "cProfile", "-s", "cumulative", str(script)], capture_output=True, text=True,
                         cwd=nb.parent)
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if "ncalls" in ln), 0)
    return "\n".join(lines[start: start + top + 1])


def _synthetic(root: Path, copies: int) -> tuple[Path, Path, int]:
    """A seeds folder and a notebooks folder with every case and ``copies - 1`` copies of each under
    new case ids (the check notebooks only: a copy has no later figures for a hindsight notebook).
    Returns (seeds, notebooks, number of notebooks)."""
    from estimates.case import case_ids
    seeds, notebooks = root / "seeds", root / "notebooks"
    shutil.copytree(paths.SEEDS, seeds)
    count = 0
    for cid in case_ids():
        for k in range(copies):
            new = cid if k == 0 else f"{cid}-copy{k:02d}"
            if k:
                for src in (paths.seed_path(cid), paths.claims_path(cid), *paths.freeze_paths(cid)):
                    text = src.read_text(encoding="utf-8")
                    (seeds / src.name.replace(cid, new)).write_text(text.replace(cid, new), encoding="utf-8")
            (notebooks / new).mkdir(parents=True)
            for nb in sorted(paths.case_notebooks(cid).glob("*.ipynb")):
                if nb.stem.startswith("90-"):
                    continue
                (notebooks / new / nb.name).write_text(nb.read_text(encoding="utf-8").replace(cid, new), encoding="utf-8")
                count += 1
    return seeds, notebooks, count


def _own_seconds(progress: str, name: str) -> float:
    """A notebook's own time in a run of the runner, from its progress line ("done  <name> in 3.1 s")."""
    found = re.search(rf"done +{re.escape(name)} in ([0-9.]+) s", progress)
    if not found:
        raise RuntimeError(f"no progress line for {name} in the runner's output")
    return float(found.group(1))


#: Seconds of cold runs to take at each N (repeated, median taken: at N = 1 one run is about 12 s)
COLD_SECONDS = 60


def bench_scale(sizes) -> list[dict]:
    """The main job over N synthetic copies of the cases: cold (empty cache; the median of runs
    repeated to :data:`COLD_SECONDS` in all, at most five), warm (nothing changed) and warm with one
    notebook changed (against that notebook's own time in that run + 2 s); and strict nbval over the
    same notebooks as `make test` runs it. Seconds per notebook per core, and warm / cold."""
    rows = []
    cores = os.cpu_count() or 1
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            seeds, notebooks, count = _synthetic(Path(tmp), n)
            env = {**os.environ, "ESTIMATE_CHECKER_SEEDS": str(seeds), "ESTIMATE_CHECKER_NOTEBOOKS": str(notebooks),
                   "ESTIMATE_CHECKER_CACHE": str(Path(tmp, "cache", "runs"))}
            printed = []

            def job():
                printed.append(subprocess.run([PY, "-m", "estimates", "report", "--notebooks", str(notebooks), "--reports",
                                               str(Path(tmp, "reports"))], check=True, env=env, capture_output=True,
                                              text=True).stdout)

            def cold_job():  # nothing kept: no runs, no pages
                shutil.rmtree(Path(tmp, "cache"), ignore_errors=True)
                job()
            colds = []  # a cold run of a few notebooks is short and noisy: repeat it to a minute in all (at most 5)
            while not colds or (sum(colds) < COLD_SECONDS and len(colds) < 5):
                colds += timed(cold_job, 1)
            cold = statistics.median(colds)
            warm = timed(job, 1)[0]
            one = sorted(notebooks.rglob("*.ipynb"))[1]
            one.write_text(one.read_text(encoding="utf-8").replace("## ", "## (edited) ", 1), encoding="utf-8")
            changed = timed(job, 1)[0]
            own_cold, own = _own_seconds(printed[0], one.name), _own_seconds(printed[-1], one.name)
            one.write_text(one.read_text(encoding="utf-8").replace("## (edited) ", "## ", 1), encoding="utf-8")
            tests = timed(lambda: _nbval(notebooks, "-n", "auto", "--dist", "loadscope", env=env), 1)[0]
            rows.append({"cases": n, "notebooks": count, "cores": cores, "cold_s": round(cold, 2),
                         "cold_runs_s": [round(c, 2) for c in colds], "warm_s": round(warm, 2),
                         "one_changed_s": round(changed, 2), "that_notebook_s": own,
                         "that_notebook_in_the_cold_run_s": own_cold,
                         "s_per_notebook_per_core": round(cold * cores / count, 3),
                         "warm_over_cold": round(warm / cold, 3), "strict_nbval_s": round(tests, 2),
                         "strict_nbval_s_per_notebook_per_core": round(tests * cores / count, 3)})
            print(f"  N = {n:>2}: {count:>3} notebooks, cold {cold:6.1f} s (median of {len(colds)}), warm {warm:5.1f} s, "
                  f"one changed {changed:5.1f} s (that notebook {own:.1f} s), {cold * cores / count:.2f} s per notebook per core; "
                  f"strict nbval {tests:6.1f} s, {tests * cores / count:.2f} s per notebook per core",
                  file=sys.stderr, flush=True)
    return rows


def slopes(scale: list[dict]) -> list[float]:
    """The cold seconds per notebook per core that each step up in N adds (the slope of the cold time
    against the number of notebooks, times the cores): (cold - cold before) x cores / (notebooks -
    notebooks before). Unlike the average (cold x cores / notebooks), it leaves out what a run costs
    whatever its size (start-up, the last notebooks' uneven end, the report's fixed part)."""
    return [round((b["cold_s"] - a["cold_s"]) * b.get("cores", os.cpu_count() or 1) / (b["notebooks"] - a["notebooks"]),
                  3) for a, b in zip(scale, scale[1:])]


def fixed_seconds(scale: list[dict]) -> float:
    """What a cold run costs whatever its size: the smallest run's time less its notebooks at the
    first slope (the intercept of the line through the two smallest runs)."""
    first = scale[0]
    return round(first["cold_s"] - slopes(scale)[0] * first["notebooks"] / first.get("cores", os.cpu_count() or 1), 2)


def scale_rows(scale: list[dict]) -> list[dict]:
    """The scale figures against the issue's targets, at the largest N (and across every N)."""
    big = scale[-1]

    def spread(key):
        values = [r[key] for r in scale]
        return [max(values)], [min(values)]
    rows = [row("report, nothing changed", [big["warm_s"]], [big["cold_s"]], 0.15,
                f"the main job over {big['notebooks']} notebooks, all cached / cold", "cold run"),
            row("report, one notebook changed", [big["one_changed_s"]], [big["that_notebook_s"] + 2], 1.00,
                f"the main job over {big['notebooks']} notebooks with one edited / that notebook's own time + 2 s",
                "that notebook + 2 s")]
    if len(scale) > 2:
        steps = slopes(scale)
        ns = ", ".join(f"{a['cases']} to {b['cases']}" for a, b in zip(scale, scale[1:]))
        rows.append(row("report, per notebook added", [max(steps)], [min(steps)], 1.20,
                        f"cold seconds per notebook per core that each step in N adds (N = {ns}), largest / smallest",
                        "smallest"))
    if len(scale) > 1:
        ns = f"N = {scale[0]['cases']} to {big['cases']}"
        rows.append(row("report, per notebook (average)", *spread("s_per_notebook_per_core"), None,
                        f"cold seconds per notebook per core, the run's fixed {fixed_seconds(scale):.1f} s included, "
                        f"largest / smallest over {ns} (for reference: it falls as N grows)", "smallest"))
        rows.append(row("strict nbval, per notebook", *spread("strict_nbval_s_per_notebook_per_core"), None,
                        f"strict nbval seconds per notebook per core, largest / smallest over {ns} (for reference:"
                        " the target of flat growth is the main job's)", "smallest"))
    return rows


def machine() -> dict:
    import numpy
    import pint
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine(),
            "python": platform.python_version(), "numpy": numpy.__version__, "pint": pint.__version__}


PARTS = ("units", "import", "suite", "parallel", "tests", "whatif", "audit", "scale", "memory")


def _table(rows: list[dict]) -> str:
    lines = [f"{'figure':30} {'ours median (min-max) s':26} {'baseline median s':18} {'ratio':>6} {'target':>7}  result"]
    for r in rows:
        o, b = r["ours_s"], r["baseline_s"]
        target, result = ("", "(reference)") if r["target"] is None else (
            "<= " + format(r["target"], ".2f"), "met" if r["met"] else "MISSED")
        lines.append(f"{r['figure']:30} {o['median']:7.3f} ({o['min']:.3f}-{o['max']:.3f}){'':4} {b['median']:9.3f}"
                     f"{'':9} {r['ratio']:6.2f} {target:>7}  {result}")
    return "\n".join(lines)


def _scale_table(scale: list[dict]) -> str:
    lines = ["copies  notebooks  cold s  warm s  warm/cold  one changed s (that notebook s)  cold s/nb/core"
             "  added s/nb/core  strict nbval s  nbval s/nb/core"]
    added = [None] + slopes(scale)
    for r, step in zip(scale, added):
        lines.append(f"{r['cases']:>6}  {r['notebooks']:>9}  {r['cold_s']:6.1f}  {r['warm_s']:6.1f}  "
                     f"{r['warm_over_cold']:9.3f}  {r['one_changed_s']:13.1f} ({r['that_notebook_s']:4.1f}){'':14}  "
                     f"{r['s_per_notebook_per_core']:14.2f}  {'' if step is None else format(step, '.2f'):>15}  "
                     f"{r['strict_nbval_s']:14.1f}  {r['strict_nbval_s_per_notebook_per_core']:15.2f}")
    if len(scale) > 1:
        lines.append(f"a cold run's fixed cost, whatever its size: about {fixed_seconds(scale):.1f} s")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and smaller N (for a smoke test)")
    ap.add_argument("--scale", help="numbers of synthetic copies of the cases (default 1,8,32; --quick 1,2)")
    ap.add_argument("--only", help=f"comma-separated parts to run, of: {', '.join(PARTS)} (default: all); "
                                   "writes reports/benchmarks-<parts>.json instead of benchmarks.json")
    args = ap.parse_args(argv)
    parts = args.only.split(",") if args.only else list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        ap.error(f"unknown part(s) {', '.join(unknown)}: choose from {', '.join(PARTS)}")
    try:
        sizes = [int(x) for x in (args.scale or ("1,2" if args.quick else "1,8,32")).split(",")]
    except ValueError:
        ap.error(f"--scale takes whole numbers separated by commas, such as 1,8,32 (not {args.scale!r})")
    if not sizes or min(sizes) < 1:
        ap.error("--scale takes numbers of at least 1")
    r_fast, r_slow, r_tests, n = (3, 2, 1, 200_000) if args.quick else (7, 3, 2, 1_000_000)
    measures = {"units": lambda: bench_units(r_fast, n), "import": lambda: [bench_import(r_fast * 2)],
                "suite": lambda: bench_suite(r_slow), "parallel": lambda: [bench_parallel(r_slow)],
                "tests": lambda: [bench_make_test(r_tests)], "whatif": lambda: [bench_what_if(r_fast)],
                "audit": lambda: [bench_audit(r_slow)]}
    rows, scale, memory, biggest, failed = [], [], None, None, {}
    for part in parts:
        print(f"measuring {part} ...", file=sys.stderr, flush=True)
        try:  # a part that fails is reported; the others are still measured and written
            if part == "scale":
                scale = bench_scale(sizes)
                new = scale_rows(scale)
            elif part == "memory":
                memory, biggest = bench_memory()
                new = []
            else:
                new = measures[part]()
        except (subprocess.CalledProcessError, AssertionError, OSError, RuntimeError) as exc:
            failed[part] = f"{type(exc).__name__}: {exc}"
            print(f"  {part} FAILED: {failed[part]}", file=sys.stderr, flush=True)
            continue
        rows += new
        for r in new:
            print(f"  {r['figure'].strip()}: {r['ratio']:.2f}" + ("" if r["target"] is None else f" (target {r['target']:.2f})"),
                  file=sys.stderr, flush=True)
    print()
    print(_table(rows))
    if memory:
        print(f"{memory['figure']:30} {memory['peak_mib']:.0f} MiB ({memory['what']})")
    if scale:
        print("\nscale (synthetic copies of every case; the report's runs with a cache of their own):")
        print(_scale_table(scale))
    missed = [r for r in rows if r["met"] is False]
    profile = ""
    if missed:
        print(f"\nmissed: {', '.join(r['figure'] for r in missed)}")
    if any(r["figure"] == "test suite (strict nbval)" for r in missed):
        nb = biggest or max(runner.find_notebooks(paths.NOTEBOOKS), key=lambda p: p.stat().st_size)
        print(f"profile of the largest notebook, {nb.name}, run as a script (cumulative time):")
        profile = profile_notebook(nb)
        print(profile)
    for part, error in failed.items():
        print(f"\n{part} could not be measured: {error}")
    doc = {"machine": machine(), "parts": parts, "rows": rows, "memory": memory, "scale": scale,
           "profile_of_suite": profile, "failed": failed, "quick": args.quick}
    target = paths.reports_dir() / ("benchmarks.json" if parts == list(PARTS) else f"benchmarks-{'-'.join(parts)}.json")
    report._write_atomic(target, json.dumps(doc, indent=2) + "\n")
    print(f"\nwritten to {target}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
