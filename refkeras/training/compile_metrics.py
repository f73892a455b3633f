"""``CompileMetrics``: the ``metrics=``/``weighted_metrics=`` arguments of ``compile``.

The user's metric specification is resolved against the first batch the model
sees (``build``), because ``"accuracy"`` means a different metric depending on
the shapes of the targets and predictions:

- predictions with a last axis of 1: ``BinaryAccuracy``;
- integer labels (rank below the predictions', or a last axis of 1 against
  several classes): ``SparseCategoricalAccuracy``;
- otherwise ``CategoricalAccuracy``.

With several outputs, the specification is a list (one entry per output) or a
dict keyed by output name, and each metric's log name is prefixed with its
output's name (``"out_a_accuracy"``). A weighted metric whose name is already
taken is logged as ``"weighted_<name>"``; later clashes get ``_1``, ``_2``, ...
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from refkeras import metrics as metrics_lib
from refkeras import tree
from refkeras.backend.naming import to_snake_case

_ACCURACY_ALIASES = ("accuracy", "acc")


def object_name(obj: Any) -> str:
    """The name a metric or loss is logged under when the user gave an object."""
    if hasattr(obj, "name"):
        return obj.name
    if hasattr(obj, "__name__"):
        return to_snake_case(obj.__name__)
    return to_snake_case(type(obj).__name__)


def label_kind(y_true: Any, y_pred: Any) -> tuple[bool, bool]:
    """``(is_binary, is_sparse)`` for the accuracy/crossentropy aliases."""
    true_rank, pred_rank = len(y_true.shape), len(y_pred.shape)
    is_binary = y_pred.shape[-1] == 1
    is_sparse = true_rank < pred_rank or (y_true.shape[-1] == 1 and y_pred.shape[-1] > 1)
    return is_binary, is_sparse


def resolve_metric(identifier: Any, y_true: Any, y_pred: Any) -> Any:
    """A Metric object for one entry of ``metrics=``, named as it will be logged."""
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if str(identifier).lower() in _ACCURACY_ALIASES:
        is_binary, is_sparse = label_kind(y_true, y_pred)
        cls = (metrics_lib.BinaryAccuracy if is_binary else
               metrics_lib.SparseCategoricalAccuracy if is_sparse else
               metrics_lib.CategoricalAccuracy)
        metric = cls(name=str(identifier))
    else:
        metric = metrics_lib.get(identifier)
    name = identifier if isinstance(identifier, str) else object_name(metric)
    if not isinstance(metric, metrics_lib.Metric):
        metric = metrics_lib.MeanMetricWrapper(metric)
    metric.name = name
    return metric


class MetricsList(metrics_lib.Metric):
    """The metrics of one output (``output_name`` prefixes their log names)."""

    def __init__(self, metrics: list, output_name: str | None = None):
        super().__init__(name="metrics_list")
        self.metrics = metrics
        self.output_name = output_name

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        for metric in self.metrics:
            metric.update_state(y_true, y_pred, sample_weight=sample_weight)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def result(self) -> dict:
        return {metric.name: metric.result() for metric in self.metrics}


def metrics_list(spec: Any, y_true: Any, y_pred: Any, output_name: str | None) -> Any:
    """A MetricsList for one output's specification (None: no metrics for it)."""
    if spec is None:
        return None
    specs = spec if isinstance(spec, (list, tuple)) else [spec]
    return MetricsList([resolve_metric(s, y_true, y_pred) for s in specs], output_name)


def _check_container(argument: str, value: Any) -> None:
    if value and not isinstance(value, (list, tuple, dict)):
        raise ValueError(
            f"Expected `{argument}` argument to be a list, tuple, or dict. Received instead: "
            f"{argument}={value} of type {type(value)}"
        )


class CompileMetrics(metrics_lib.Metric):
    """All compiled metrics of a model, as one Metric whose result is a dict."""

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list | None = None):
        super().__init__(name="compile_metrics")
        _check_container("metrics", metrics)
        _check_container("weighted_metrics", weighted_metrics)
        # Kept out of the metric tracker: sub-metrics exist only after build.
        object.__setattr__(self, "_user_metrics", metrics)
        object.__setattr__(self, "_user_weighted_metrics", weighted_metrics)
        self.output_names = output_names
        self.built = False
        self._output_order: list | None = None  # dict outputs: keys in resolution order
        self._plain: list = []
        self._weighted: list = []

    # --- state ------------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The resolved metric objects (empty before build)."""
        found = []
        for group in self._plain + self._weighted:
            if group is not None:
                found.extend(group.metrics)
        return found

    @property
    def variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]

    # --- resolution -------------------------------------------------------------------
    def build(self, y_true: Any, y_pred: Any) -> None:
        """Resolves the specification against one batch's targets and predictions."""
        count = len(tree.flatten(y_pred))
        flat_outputs = tree.is_nested(y_pred) and len(y_pred) == count
        names = self.output_names
        if flat_outputs and isinstance(y_pred, dict):
            if names and set(y_pred) == set(names):
                pass
            elif isinstance(y_pred, OrderedDict):
                names = list(y_pred)
            else:
                names = sorted(y_pred)
        self._output_order = names if (count > 1 and flat_outputs) else None
        self._plain = self._resolve("metrics", self._user_metrics, count, names, y_true,
                                    y_pred, flat_outputs)
        self._weighted = self._resolve("weighted_metrics", self._user_weighted_metrics, count,
                                       names, y_true, y_pred, flat_outputs)
        self.built = True

    def _resolve(self, argument: str, spec: Any, count: int, names: list | None, y_true: Any,
                 y_pred: Any, flat_outputs: bool) -> list:
        if not spec:
            return [None] * count
        if count == 1:
            return [metrics_list(tree.flatten(spec), tree.flatten(y_true)[0],
                                 tree.flatten(y_pred)[0], None)]
        per_output = None
        if flat_outputs:
            if isinstance(spec, (list, tuple)) and len(spec) == count:
                per_output = list(spec)
            elif names and isinstance(spec, dict) and set(spec) <= set(names):
                per_output = [spec.get(name) for name in names]
        if per_output is None:
            structure = tree.map_structure(lambda _: "X", y_pred)
            known = (f"either be a dict or a list matching the output names of the functional "
                     f"model {self.output_names} or " if self.output_names else "")
            raise ValueError(
                f"Invalid `{argument}`. `{argument}` should contain metrics objects and "
                f"{known}match the output structure of the model: {structure}.\n"
                f"Received: {argument}={spec}"
            )
        labels = names or [None] * count
        try:
            return [metrics_list(s, t, p, n) for s, t, p, n in
                    zip(per_output, self._flatten(y_true), self._flatten(y_pred), labels)]
        except ValueError as e:
            raise ValueError(f"{e}\nReceived: {argument}={spec}") from e

    def _flatten(self, values: Any) -> list:
        if isinstance(values, dict) and self._output_order is not None:
            return [values[name] for name in self._output_order]
        return tree.flatten(values)

    # --- the Metric protocol -----------------------------------------------------------
    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        if not self.built:
            self.build(y_true, y_pred)
        flat_true, flat_pred = self._flatten(y_true), self._flatten(y_pred)
        for group, t, p in zip(self._plain, flat_true, flat_pred):
            if group is not None:
                group.update_state(t, p)
        if sample_weight is None:
            weights = [None] * len(flat_true)
        else:
            weights = self._flatten(sample_weight)
            if len(weights) < len(flat_true):  # one weight array shared by every output
                weights = [weights[0]] * len(flat_true)
        for group, t, p, w in zip(self._weighted, flat_true, flat_pred, weights):
            if group is not None:
                group.update_state(t, p, w)

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    def result(self) -> dict:
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        results: dict = {}
        seen: dict[str, int] = {}
        for group in self._plain:
            for metric in (group.metrics if group is not None else ()):
                name = _prefixed(group, metric.name)
                results[_unique(name, seen)] = metric.result()
        for group in self._weighted:
            for metric in (group.metrics if group is not None else ()):
                name = _prefixed(group, metric.name)
                if name in seen:
                    name = _unique(_prefixed(group, f"weighted_{metric.name}"), seen)
                else:
                    seen[name] = 1
                results[name] = metric.result()
        return results

    def get_config(self) -> dict:
        raise NotImplementedError

    @classmethod
    def from_config(cls, config: dict) -> Any:
        raise NotImplementedError


def _prefixed(group: MetricsList, name: str) -> str:
    return f"{group.output_name}_{name}" if group.output_name else name


def _unique(name: str, seen: dict[str, int]) -> str:
    """``name`` the first time, then ``name_1``, ``name_2``, ... (records the use)."""
    if name not in seen:
        seen[name] = 1
        return name
    index = seen[name]
    seen[name] += 1
    return f"{name}_{index}"
