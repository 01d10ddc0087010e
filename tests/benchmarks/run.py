"""Benchmarks for estimate-checker: each figure a ratio taken in one run, against its target.

    make bench        (or: .venv/bin/python tests/benchmarks/run.py [--quick])

Prints a table (median of several runs, with min and max) and writes the same to
reports/benchmarks.json. A missed target is reported as missed, with a profile of the worst one.
Speed is measured here and never asserted in a test.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import resource
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


def interleaved(a, b, repeat: int) -> tuple[list[float], list[float]]:
    """Time a and b alternately, so that drift in the machine's speed hits both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        ta += timed(a, 1)
        tb += timed(b, 1)
    return ta, tb


def stats(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "runs": len(xs)}


def row(name: str, ours: list[float], base: list[float], target: float, what: str, base_name: str) -> dict:
    ratio = statistics.median(ours) / statistics.median(base)
    return {"figure": name, "what": what, "ours_s": stats(ours), "baseline": base_name, "baseline_s": stats(base),
            "ratio": ratio, "target": target, "met": ratio <= target}


def bench_units(repeat: int, n: int) -> list[dict]:
    import models
    bounds = models.inputs()
    models.with_units(bounds, 10_000), models.bare_numpy(bounds, 10_000)  # warm imports
    ours, bare = interleaved(lambda: models.with_units(bounds, n), lambda: models.bare_numpy(bounds, n), repeat)
    rows = [row("units on Monte Carlo", ours, bare, 1.10,
                f"notebook 01's fire-rate model, {n:,} samples, with units / bare numpy", "bare numpy")]
    try:
        models.squiggle(bounds, 10_000)
        ours2, sq = interleaved(lambda: models.with_units(bounds, n), lambda: models.squiggle(bounds, n), repeat)
        rows.append(row("units against squigglepy", ours2, sq, 1.00,
                        f"the same model, {n:,} samples, with units / squigglepy (no units)", "squigglepy"))
    except ImportError:
        print("squigglepy is not installed: `make bench` installs tests/benchmarks/requirements.txt", file=sys.stderr)
    return rows


def bench_import(repeat: int) -> dict:
    def run(code):
        return lambda: subprocess.run([PY, "-c", code], check=True)
    ours, base = interleaved(run("import estimates"), run("import numpy, pint"), repeat)
    return row("package import", ours, base, 1.30, "`import estimates` (registry loaded) / `import numpy, pint`",
               "import numpy, pint")


def _nbval(folder: Path) -> None:
    subprocess.run([PY, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
                    "-o", "addopts=", "--rootdir", str(folder), str(folder)], check=True, cwd=folder,
                   stdout=subprocess.DEVNULL)


def bench_suite(repeat: int) -> dict:
    import nbformat
    notebooks = runner.find_notebooks(paths.NOTEBOOKS)
    with tempfile.TemporaryDirectory() as tmp:
        real, floor = Path(tmp, "real"), Path(tmp, "floor")
        real.mkdir(), floor.mkdir()
        for nb in notebooks:  # each case's notebooks in its own folder, as in notebooks/
            (real / nb.parent.name).mkdir(exist_ok=True), (floor / nb.parent.name).mkdir(exist_ok=True)
            (real / nb.parent.name / nb.name).write_bytes(nb.read_bytes())
            cell = nbformat.v4.new_code_cell("import estimates", execution_count=1)
            floor_nb = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {
                "name": "python3", "display_name": "Python 3", "language": "python"}})
            nbformat.write(floor_nb, floor / nb.parent.name / nb.name)
        ours, base = interleaved(lambda: _nbval(real), lambda: _nbval(floor), repeat)
    return row("test suite (strict nbval)", ours, base, 1.50,
               f"strict nbval over the {len(notebooks)} notebooks / the same number importing the package only",
               "notebooks that import the package")


def bench_parallel(repeat: int) -> dict:
    notebooks = runner.find_notebooks(paths.NOTEBOOKS)
    jobs = os.cpu_count() or 1
    sink = open(os.devnull, "w")
    ours, base = interleaved(lambda: runner.run_all(notebooks, jobs, out=sink),
                             lambda: runner.run_all(notebooks, 1, out=sink), repeat)
    return row("main job in parallel", ours, base, 0.65,
               f"the runner on all notebooks, --jobs {jobs} (default) / --jobs 1", "one notebook at a time")


def peak_memory_mib(nb: Path) -> float:
    """Peak resident memory of the kernel that runs ``nb`` (the largest child of a fresh process)."""
    code = ("import resource; from estimates.runner import execute_notebook; "
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
    import shutil
    from estimates.case import case_ids
    seeds, notebooks = root / "seeds", root / "notebooks"
    shutil.copytree(paths.SEEDS, seeds)
    count = 0
    for cid in case_ids():
        for k in range(copies):
            new = cid if k == 0 else f"{cid}-copy{k:02d}"
            if k:
                for src in (paths.seed_path(cid), paths.claims_path(cid), paths.preregistered_path(cid)):
                    text = src.read_text(encoding="utf-8")
                    (seeds / src.name.replace(cid, new)).write_text(text.replace(cid, new), encoding="utf-8")
            (notebooks / new).mkdir(parents=True)
            for nb in sorted(paths.case_notebooks(cid).glob("*.ipynb")):
                if nb.stem.startswith("90-"):
                    continue
                (notebooks / new / nb.name).write_text(nb.read_text(encoding="utf-8").replace(cid, new), encoding="utf-8")
                count += 1
    return seeds, notebooks, count


def bench_scale(sizes) -> list[dict]:
    """The main job over N synthetic copies of the cases: cold (empty cache), warm (nothing changed)
    and warm with one notebook changed; seconds per notebook per core, and warm / cold."""
    rows = []
    cores = os.cpu_count() or 1
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            seeds, notebooks, count = _synthetic(Path(tmp), n)
            env = {**os.environ, "ESTIMATE_CHECKER_SEEDS": str(seeds), "ESTIMATE_CHECKER_CACHE": str(Path(tmp, "cache"))}

            def job():
                subprocess.run([PY, "-m", "estimates.runner", "--notebooks", str(notebooks), "--reports",
                                str(Path(tmp, "reports"))], check=True, env=env, stdout=subprocess.DEVNULL)
            cold = timed(job, 1)[0]
            warm = timed(job, 1)[0]
            one = sorted(notebooks.rglob("*.ipynb"))[1]
            one.write_text(one.read_text(encoding="utf-8").replace("## ", "## (edited) ", 1), encoding="utf-8")
            changed = timed(job, 1)[0]
            rows.append({"cases": n, "notebooks": count, "cold_s": round(cold, 2), "warm_s": round(warm, 2),
                         "one_changed_s": round(changed, 2),
                         "s_per_notebook_per_core": round(cold * cores / count, 3),
                         "warm_over_cold": round(warm / cold, 3)})
            print(f"  N = {n:>2}: {count:>3} notebooks, cold {cold:6.1f} s, warm {warm:5.1f} s, one changed "
                  f"{changed:5.1f} s, {cold * cores / count:.2f} s per notebook per core", file=sys.stderr, flush=True)
    return rows


def machine() -> dict:
    import numpy
    import pint
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine(),
            "python": platform.python_version(), "numpy": numpy.__version__, "pint": pint.__version__}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs (for a smoke test)")
    ap.add_argument("--scale", default="1,8,32", help="numbers of synthetic copies of the cases (default 1,8,32)")
    ap.add_argument("--only", choices=["scale"], help="run only this part")
    args = ap.parse_args(argv)
    if args.only == "scale":
        rows = bench_scale([int(x) for x in args.scale.split(",")])
        target = paths.reports_dir() / "benchmarks-scale.json"
        report._write_atomic(target, json.dumps({"machine": machine(), "scale": rows}, indent=2) + "\n")
        print(f"\nwritten to {target}")
        return 0
    r_fast, r_slow, n = (3, 2, 200_000) if args.quick else (7, 3, 1_000_000)
    rows = []
    for label, fn in [("units", lambda: bench_units(r_fast, n)), ("import", lambda: [bench_import(r_fast * 2)]),
                      ("suite", lambda: [bench_suite(r_slow)]), ("parallel", lambda: [bench_parallel(r_slow)])]:
        print(f"measuring {label} ...", file=sys.stderr, flush=True)
        rows += fn()
    print("measuring memory ...", file=sys.stderr, flush=True)
    memory, biggest = bench_memory()
    print()
    print(f"{'figure':28} {'ours median (min-max) s':26} {'baseline median s':18} {'ratio':>6} {'target':>7}  result")
    for r in rows:
        o, b = r["ours_s"], r["baseline_s"]
        print(f"{r['figure']:28} {o['median']:7.3f} ({o['min']:.3f}-{o['max']:.3f}){'':4} {b['median']:9.3f}{'':9} "
              f"{r['ratio']:6.2f} {'<= ' + format(r['target'], '.2f'):>7}  {'met' if r['met'] else 'MISSED'}")
    print(f"{memory['figure']:28} {memory['peak_mib']:.0f} MiB ({memory['what']})")
    missed = [r for r in rows if not r["met"]]
    profile = ""
    if missed:
        worst = max(missed, key=lambda r: r["ratio"] / r["target"])
        print(f"\nmissed: {', '.join(r['figure'] for r in missed)}; worst: {worst['figure']}")
        print(f"profile of the largest notebook, {biggest.name}, run as a script (cumulative time):")
        profile = profile_notebook(biggest)
        print(profile)
    doc = {"machine": machine(), "rows": rows, "memory": memory, "profile_of_worst": profile,
           "quick": args.quick}
    target = paths.reports_dir() / "benchmarks.json"
    report._write_atomic(target, json.dumps(doc, indent=2) + "\n")
    print(f"\nwritten to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
