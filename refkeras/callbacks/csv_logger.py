"""``CSVLogger``: stream each epoch's logs into a CSV file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from typing import IO, Any

import numpy as np

from refkeras.callbacks.callback import Callback, Logs


def _cell(value: Any) -> Any:
    """A log value as written: strings as is, 1-D iterables as ``"[a, b]"``, others as given."""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Writes one CSV row per epoch: ``epoch`` then the logged values, in sorted name order.

    The columns are fixed by the first epoch's logs; when those hold no ``val_*`` entry, a
    ``val_<name>`` column is added for each name (filled with ``NA`` while absent).

    Args:
        filename: the CSV file.
        separator: the field separator.
        append: add to an existing file (without repeating its header) instead of replacing it.

    >>> logger = CSVLogger("training.csv")
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename) if isinstance(filename, os.PathLike) else filename
        self.append = append
        self.writer: csv.DictWriter | None = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file: IO[str] | None = None

    def on_train_begin(self, logs: Logs = None) -> None:
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    # Only an empty file still needs its header.
                    self.append_header = not f.readline()
            mode = "a"
        else:
            mode = "w"
        self._close()
        self.csv_file = open(self.filename, mode)  # noqa: SIM115 - held open across epochs
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if not self.writer:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys],
                                         dialect=self._dialect())
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs: Logs = None) -> None:
        self._close()
        self.writer = None

    def _dialect(self) -> type[csv.Dialect]:
        # Excel's dialect (quoting, "\r\n" line ends) with our separator.
        return type("SeparatorDialect", (csv.excel,), {"delimiter": self.sep})

    def _close(self) -> None:
        if self.csv_file and not self.csv_file.closed:
            self.csv_file.close()
