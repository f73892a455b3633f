"""``ProgbarLogger``: prints ``Epoch i/n`` and a progress bar with the running metrics."""

from __future__ import annotations

from refkeras.callbacks.callback import Callback, Logs
from refkeras.utils.progbar import Progbar, write_console


class ProgbarLogger(Callback):
    """Shows training, evaluation and prediction progress on stdout.

    Reads ``verbose`` (0, 1, 2 or ``"auto"``, meaning 1), ``epochs`` and ``steps`` from the
    run's params. Inside ``fit`` the validation passes draw nothing.
    """

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose: int = 1
        self.epochs = 1
        self._in_fit = False

    def set_params(self, params: dict) -> None:
        verbose = params["verbose"]
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params["epochs"]
        self.target = params["steps"]

    def on_train_begin(self, logs: Logs = None) -> None:
        self._in_fit = True

    def on_test_begin(self, logs: Logs = None) -> None:
        if not self._in_fit:
            self._new_bar()

    def on_predict_begin(self, logs: Logs = None) -> None:
        self._new_bar()

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._new_bar()
        if self.verbose and self.epochs > 1:
            write_console(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._advance(batch, logs)

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        if not self._in_fit:
            self._advance(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._advance(batch, None)  # the predictions themselves are not shown

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        self._finish(logs)

    def on_test_end(self, logs: Logs = None) -> None:
        if not self._in_fit:
            self._finish(logs)

    def on_predict_end(self, logs: Logs = None) -> None:
        self._finish(logs)

    def _new_bar(self) -> None:
        self.seen = 0
        self.progbar = None
        self._bar()

    def _bar(self) -> Progbar:
        if self.progbar is None:
            # Logged values are already running averages, so the bar shows them as given.
            self.progbar = Progbar(target=self.target, verbose=self.verbose, unit_name="step",
                                   stateless_metrics=set())
        return self.progbar

    def _advance(self, batch: int, logs: Logs) -> None:
        bar = self._bar()
        self.seen = batch + 1
        if self.verbose == 1:
            bar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finish(self, logs: Logs) -> None:
        if self.target is None:
            # An unknown-length run ends where it stopped.
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)
