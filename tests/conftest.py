"""Unit-test configuration: the shared Hypothesis profiles (no upstream keras here)."""

from __future__ import annotations

import logging

import pytest

from conformance._harness import profiles

profiles.load_profile()


class _CompileLog:
    """Names of the programs JAX compiles inside the ``with`` block (``jax.log_compiles``)."""

    def __enter__(self):
        import jax  # noqa: PLC0415

        self.names: list[str] = []
        names = self.names

        class Handler(logging.Handler):
            def emit(self, record):
                message = record.getMessage()
                if message.startswith("Compiling "):
                    names.append(message.split()[1])

        self._logger, self._handler = logging.getLogger("jax"), Handler()
        self._logger.addHandler(self._handler)
        self._context = jax.log_compiles(True)
        self._context.__enter__()
        return self

    def __exit__(self, *exc):
        self._context.__exit__(*exc)
        self._logger.removeHandler(self._handler)


@pytest.fixture
def jax_compiles():
    """``with jax_compiles() as log:`` collects ``log.names``, e.g. ``["jit(many)"]``."""
    return _CompileLog
