"""Run the asv suite and print refkeras/keras ratios against the speed targets.

    python -m asv_benchmarks.ratios                      # backend from KERAS_BACKEND
    python -m asv_benchmarks.ratios --backend both       # jax, then tensorflow
    python -m asv_benchmarks.ratios --no-run             # table from saved results

Each backend runs in its own ``asv run`` subprocess with ``KERAS_BACKEND`` set,
one after the other (in parallel they would steal each other's cores). Results
are saved under ``asv_benchmarks/.asv/results/<host>-<backend>/`` (asv's
"machine" name carries the backend), so ``asv publish`` shows both backends.
The exit status is 1 when a target fails or a benchmark errors, else 0.

Verdicts use the ratio of *fastest* samples (asv runs with --record-samples):
on a shared machine other processes only ever add time, so the minimum is the
steadiest estimate of each side's own cost. The ratio of asv's medians is
printed beside it.
"""

import argparse
import ast
import itertools
import json
import math
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "asv.conf.json"
RESULTS = HERE / ".asv" / "results"
BACKENDS = ("jax", "tensorflow")
WIDTH = "graph.FunctionWidth.time_build_function"
MODEL_WIDTH = "models.ModelWidth.time_build_model"


@dataclass(frozen=True)
class Target:
    """A speed target: ``text`` for the table, ``passes(refkeras_s, keras_s)``."""

    text: str
    passes: Callable[[float | None, float | None], bool]


def _ratio_at_most(limit: float, text: str) -> Target:
    def passes(ours: float | None, theirs: float | None) -> bool:
        return ours is not None and theirs is not None and ours / theirs <= limit

    return Target(text, passes)


COMPLETES = Target("builds and runs", lambda ours, _theirs: ours is not None)
NO_SLOWER = _ratio_at_most(1.0, "ratio <= 1 (no slower)")


# training.py targets (issue 5 "Speed"): {backend: {benchmark: (baseline, {workload: limit})}}.
FIT = "training.Fit.time_fit"
SMALL, MNIST = "mlp_8_8_1", "mlp_784_128_10"
TRAINING_TARGETS = {
    "jax": {FIT: ("handwritten", {SMALL: 1.3, MNIST: 1.05}),
            "training.Evaluate.time_evaluate": ("keras", {SMALL: 0.8, MNIST: 0.8}),
            "training.Predict.time_predict": ("keras", {SMALL: 0.8, MNIST: 0.8})},
    "tensorflow": {FIT: ("keras", {SMALL: 0.5, MNIST: 0.8}),
                   "training.Evaluate.time_evaluate": ("keras", {SMALL: 0.5, MNIST: 0.5}),
                   "training.Predict.time_predict": ("keras", {SMALL: 0.5, MNIST: 0.5})},
}
PEAK_MEMORY = "training.FitPeakMemory.track_fit_peak_growth"


def target_for(name: str, params: tuple, baseline: str = "keras",
               backend: str = "tensorflow") -> Target | None:
    """The target for one benchmark row (ratio refkeras / ``baseline``, on
    ``backend``); None means the row is informational."""
    if name.startswith("training."):
        return _training_target(name, params, baseline, backend)
    if baseline != "keras":
        return None
    if name == WIDTH:
        return _ratio_at_most(0.1, "ratio <= 0.1 (10x faster)")
    if name == MODEL_WIDTH:
        return _ratio_at_most(0.1, "ratio <= 0.1 (10x faster)")
    if name == "models.Summary.time_summary":
        return _ratio_at_most(0.5, "ratio <= 0.5 (2x faster)")
    if name.startswith("saving.SaveLoad."):
        return _ratio_at_most(0.5, "ratio <= 0.5 (2x faster)")
    if name == "graph.ChainBuildAndCall.time_build_and_call":
        return COMPLETES if params == (10000,) else None
    if name.startswith(("ops.SymbolicOps.", "ops.EagerOps.")):
        return NO_SLOWER
    if name.startswith(("layers.DenseSymbolicCall.", "layers.DenseCreateAndBuild.")) or (
            name.startswith("layers.DenseEagerCall.") and params[0] == "plain"):
        return _ratio_at_most(0.5, "ratio <= 0.5 (2x faster)")
    return None


def _training_target(name: str, params: tuple, baseline: str,
                     backend: str) -> Target | None:
    if name == PEAK_MEMORY:
        # The first fit (tracing and compilation included) is the peak a user meets;
        # a second fit's growth is a few MiB of allocator noise around zero.
        return (_ratio_at_most(1.0, "peak <= keras's")
                if baseline == "keras" and params == ("first_fit",) else None)
    wanted, limits = TRAINING_TARGETS.get(backend, {}).get(name, (None, {}))
    if baseline != wanted or params[0] not in limits:
        return None
    limit = limits[params[0]]
    return _ratio_at_most(limit, f"ratio <= {limit} vs {baseline}")


def machine_name(backend: str) -> str:
    return f"{socket.gethostname()}-{backend}"


def head_commit() -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE.parent, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def run_asv(backend: str, commit: str, asv_args: list[str]) -> int:
    """One ``asv run`` of the suite under ``backend``, saving results for ``commit``."""
    env = dict(os.environ, KERAS_BACKEND=backend)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    asv = [sys.executable, "-m", "asv"]
    machine = machine_name(backend)
    subprocess.run([*asv, "machine", "--yes", "--machine", machine, "--config", str(CONFIG)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    command = [*asv, "run", "--config", str(CONFIG), "-E", f"existing:{sys.executable}",
               "--set-commit-hash", commit, "--machine", machine, *asv_args]
    print(f"$ KERAS_BACKEND={backend} {' '.join(command)}", file=sys.stderr, flush=True)
    return subprocess.run(command, env=env).returncode


@dataclass(frozen=True)
class Timing:
    """Seconds per call of one benchmark row: fastest sample and asv's median."""

    best: float
    median: float


def _timing(median: float | None, samples: list[float] | None) -> Timing | None:
    if median is None or math.isnan(median):
        return None  # failed or skipped
    return Timing(min(samples) if samples else median, median)


def load_results(backend: str, commit: str) -> dict[str, dict[tuple, Timing | None]]:
    """{benchmark name: {(implementation, *params): Timing or None}} from the
    newest results file for ``commit`` on this backend's asv machine."""
    files = sorted((RESULTS / machine_name(backend)).glob(f"{commit[:8]}-*.json"),
                   key=lambda path: path.stat().st_mtime)
    if not files:
        raise SystemExit(f"No asv results for backend {backend!r} at commit {commit[:8]} "
                         f"under {RESULTS}; run without --no-run first.")
    data = json.loads(files[-1].read_text())
    columns = data["result_columns"]
    table = {}
    for name, row in data["results"].items():
        entry = dict(zip(columns, row))
        # asv stores each parameter value as its repr, e.g. "'refkeras'".
        params = [[ast.literal_eval(v) for v in values] for values in entry["params"]]
        count = math.prod(len(p) for p in params)
        medians = entry["result"] or [None] * count
        samples = entry.get("samples") or [None] * count
        table[name] = {
            combo: _timing(median, sample)
            for combo, median, sample in zip(itertools.product(*params), medians, samples)
        }
    return table


def format_seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def format_value(name: str, value: float | None) -> str:
    """Seconds, or bytes for the peak-memory rows."""
    if value is None or name != PEAK_MEMORY:
        return format_seconds(value)
    return f"{value / 2**20:.1f} MiB"


def format_ratio(ours: float | None, theirs: float | None) -> str:
    return "n/a" if ours is None or theirs is None else f"{ours / theirs:.3f}"


def _best(timing: Timing | None) -> float | None:
    return None if timing is None else timing.best


def _median(timing: Timing | None) -> float | None:
    return None if timing is None else timing.median


def rows(results: dict[str, dict[tuple, Timing | None]],
         backend: str = "tensorflow") -> list[tuple[list[str], bool | None]]:
    """Table rows and their verdict (True pass, False fail, None informational).
    Each parameter set gives a row against keras, and one against every other
    implementation the benchmark also ran (e.g. training.py's "handwritten")."""
    out = []
    for name in sorted(results):
        by_params: dict[tuple, dict[str, Timing | None]] = {}
        for (implementation, *params), value in results[name].items():
            by_params.setdefault(tuple(params), {})[implementation] = value
        for params, timings in by_params.items():
            for baseline in [b for b in timings if b != "refkeras"]:
                ours, theirs = _best(timings.get("refkeras")), _best(timings.get(baseline))
                medians = _median(timings.get("refkeras")), _median(timings.get(baseline))
                target = target_for(name, params, baseline, backend)
                verdict = None if target is None else target.passes(ours, theirs)
                out.append(([name, ", ".join(map(str, params)), baseline,
                             format_value(name, ours), format_value(name, theirs),
                             format_ratio(ours, theirs), format_ratio(*medians),
                             "-" if target is None else target.text], verdict))
    for name in (WIDTH, MODEL_WIDTH):
        if name in results:
            out.append(scaling_row(results[name], name))
    return out


def scaling_row(width: dict[tuple, Timing | None],
                name: str = WIDTH) -> tuple[list[str], bool | None]:
    """refkeras must scale near-linearly: t(16000) / t(8000) <= 2.3."""
    def growth(implementation: str) -> float | None:
        small = _best(width.get((implementation, 8000)))
        large = _best(width.get((implementation, 16000)))
        return None if small is None or large is None else large / small

    ours, theirs = growth("refkeras"), growth("keras")
    shown = ["n/a" if g is None else f"{g:.2f}x" for g in (ours, theirs)]
    verdict = ours is not None and ours <= 2.3
    return ([f"{name} scaling", "t(16000)/t(8000)", "keras", *shown, "-", "-",
             "refkeras growth <= 2.3"], verdict)


def markdown(backend: str, table_rows: list[tuple[list[str], bool | None]]) -> str:
    header = ["benchmark", "params", "vs", "refkeras (min)", "vs (min)", "ratio (min)",
              "ratio (median)", "target", "verdict"]
    lines = [f"### Backend: {backend}", "", "| " + " | ".join(header) + " |",
             "|" + "---|" * len(header)]
    for cells, verdict in table_rows:
        shown = {True: "PASS", False: "FAIL", None: "info"}[verdict]
        lines.append("| " + " | ".join([*cells, shown]) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m asv_benchmarks.ratios",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=[*BACKENDS, "both"],
                        default=os.environ.get("KERAS_BACKEND", "tensorflow"),
                        help="backend(s) to run under (default: $KERAS_BACKEND or tensorflow)")
    parser.add_argument("--bench", "-b", action="append", default=[],
                        help="regex of benchmarks to run (repeatable), passed to asv")
    parser.add_argument("--quick", action="store_true",
                        help="one call per benchmark (smoke test; ratios are noisy)")
    parser.add_argument("--show-stderr", action="store_true", help="show benchmark stderr")
    parser.add_argument("--no-run", action="store_true",
                        help="only print the table from the results already saved for HEAD")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    asv_args = ["--record-samples", *(f"--bench={regex}" for regex in args.bench),
                *(["--quick"] if args.quick else []),
                *(["--show-stderr"] if args.show_stderr else [])]
    commit = head_commit()
    ok = True
    tables = []
    for backend in backends:
        if not args.no_run:
            ok = run_asv(backend, commit, asv_args) == 0 and ok
        table_rows = rows(load_results(backend, commit), backend)
        ok = ok and all(verdict is not False for _, verdict in table_rows)
        tables.append(markdown(backend, table_rows))
    print("\n\n".join(tables))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
