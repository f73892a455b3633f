"""A text progress bar, drawn on stdout, with Keras's look.

Verbose 1 redraws one line in place (``\\r``); verbose 2 prints a single summary line when the
bar finishes; verbose 0 prints nothing. Times come from ``time.time()`` so that a test can pin
the clock.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable
from typing import Any

import numpy as np

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\33[32m", "\33[37m", "\x1b[0m"
_CELL = "━"


def write_console(text: str) -> None:
    """Writes ``text`` to stdout as is, falling back to ASCII bar cells for narrow encodings."""
    try:
        sys.stdout.write(text)
    except UnicodeEncodeError:
        encoding = sys.stdout.encoding or "utf-8"
        text = text.replace(_CELL, "=").encode(encoding, errors="ignore").decode(encoding)
        sys.stdout.write(text)
    sys.stdout.flush()


def _dynamic_display() -> bool:
    # Keras redraws in place on any POSIX host, not only on a TTY.
    return ((hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
            or "ipykernel" in sys.modules or "posix" in sys.modules
            or "PYCHARM_HOSTED" in os.environ)


def format_step_time(seconds: float, unit_name: str) -> str:
    """`` 12ms/step``-style text: seconds at 1 s and above (or exactly 0), else ms, else us."""
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return f"{int(eta // 3600)}:{int((eta % 3600) // 60):02d}:{int(eta % 60):02d}"
    if eta > 60:
        return f"{int(eta // 60)}:{int(eta % 60):02d}"
    return f"{int(eta)}s"


def _counter(current: int, target: int) -> str:
    """``" 7/12"``: the step, right-aligned to the width of the target."""
    digits = int(math.log10(target)) + 1
    return f"{int(current):{digits}d}/{int(target)}"


class Progbar:
    """A progress bar over ``target`` steps (``None``: unknown length).

    Metric values passed to :meth:`update` are averaged over the steps they cover, except
    those named in ``stateful_metrics`` (shown as given). ``stateless_metrics`` turns the
    default around: only the names listed are averaged. Give at most one of the two.

    >>> bar = Progbar(3, verbose=0)
    >>> for step in range(1, 4):
    ...     bar.update(step, [("loss", 0.5)])
    """

    def __init__(self, target: int | None, width: int = 20, verbose: int = 1,
                 interval: float = 0.05, stateful_metrics: Iterable[str] | None = None,
                 stateless_metrics: Iterable[str] | None = None, unit_name: str = "step"):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be provided. "
                f"Received: stateful_metrics={stateful_metrics}, "
                f"stateless_metrics={stateless_metrics}. Pass only one of them.")
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self._averaged_unless_listed = stateless_metrics is None
        self._listed = set(stateful_metrics or stateless_metrics or ())
        self._dynamic = _dynamic_display()
        self._sums: dict[str, list] = {}  # name -> [weighted sum, step count]
        self._order: list[str] = []
        self._seen = 0
        self._start = time.time()
        self._last_update = 0.0
        self._first_step_done_at: float | None = None
        self._prev_width = 0

    def update(self, current: int, values: list[tuple[str, Any]] | None = None,
               finalize: bool | None = None) -> None:
        """Moves the bar to step ``current``; ``values`` are ``(name, value)`` pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            self._record(name, value, current, finalize)
        self._seen = current
        now = time.time()
        step_time = self._step_time(current, now)
        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            self._draw_line(current, now, step_time, finalize)
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            self._print_summary(current, now, step_time)
        self._last_update = now

    def add(self, n: int, values: list[tuple[str, Any]] | None = None) -> None:
        """Advances the bar by ``n`` steps."""
        self.update(self._seen + n, values)

    def _record(self, name: str, value: Any, current: int, finalize: bool) -> None:
        if name not in self._order:
            self._order.append(name)
        averaged = (name not in self._listed) == self._averaged_unless_listed
        if not averaged or finalize:
            self._sums[name] = [value, 1]
            return
        # A value stands for every step since the previous update (at least one).
        steps = max(current - self._seen, 1)
        if name in self._sums:
            self._sums[name][0] += value * steps
            self._sums[name][1] += steps
        else:
            self._sums[name] = [value * steps, steps]

    def _step_time(self, current: int, now: float) -> float:
        # The first step (tracing, compilation) is left out of the estimate once there are more.
        if not current:
            return 0
        if self._first_step_done_at is not None and current > 1:
            seconds = (now - self._first_step_done_at) / (current - 1)
        else:
            seconds = (now - self._start) / current
        if current == 1:
            self._first_step_done_at = now
        return seconds

    def _average(self, name: str) -> Any:
        total, count = self._sums[name]
        if not isinstance(total, float):
            total = np.mean(total)
        return total / max(1, count)

    def _draw_line(self, current: int, now: float, step_time: float, finalize: bool) -> None:
        known = self.target is not None and self.target > 0
        # ``parts`` are (text, visible) pairs: escape codes take no room on screen.
        parts: list[tuple[str, bool]] = []
        if known:
            parts += [(_BOLD, False), (_counter(current, self.target), True),
                      (_RESET, False), (" ", True)]
            filled = int(self.width * (float(current) / self.target))
            if filled > 0:
                parts += [(_GREEN, False), (_CELL * filled, True), (_RESET, False)]
            parts += [(_GREY, False), (_CELL * (self.width - filled), True), (_RESET, False)]
        else:
            parts.append((f"{int(current):7d}/Unknown", True))
        if known and not finalize:
            clock = _format_eta(step_time * (self.target - current))
        else:
            clock = f"{now - self._start:.0f}s"
        parts += [(" ", True), (_BOLD, False), (clock, True), (_RESET, False),
                  (format_step_time(step_time, self.unit_name), True)]
        for name in self._order:
            average = self._average(name)
            shown = f"{average:.4f}" if abs(average) > 1e-3 else f"{average:.4e}"
            parts.append((f" - {name}: {shown}", True))
        width = sum(len(text) for text, visible in parts if visible)
        head = "\b" * self._prev_width + "\r" if self._dynamic else "\n"
        tail = " " * max(self._prev_width - width, 0) + ("\n" if finalize else "")
        write_console(head + "".join(text for text, _ in parts) + tail)
        self._prev_width = width

    def _print_summary(self, current: int, now: float, step_time: float) -> None:
        line = f"{_counter(current, self.target)} - {now - self._start:.0f}s -"
        line += format_step_time(step_time, self.unit_name)
        for name in self._order:
            average = self._average(name)
            # Keras compares the signed value here (not its magnitude), so negatives print as e.
            line += f" - {name}: " + (f"{average:.4f}" if average > 1e-3 else f"{average:.4e}")
        write_console(line + "\n")
