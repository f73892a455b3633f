"""``CompileLoss``: the ``loss=``/``loss_weights=`` arguments of ``compile``.

The specification is resolved against the first batch (``build``) into a flat
plan: one ``LossEntry`` per model output that has a loss, with the path to that
output, the Loss object, its weight, and the name its per-output tracker logs
under. The value returned is the weighted sum over the plan.

Forms accepted, as upstream:

- one loss: applied to every output;
- a list or tuple with one loss per output;
- a dict keyed by output name (for list outputs, keys must be exactly the
  model's ``output_names``; for dict outputs, a missing key means no loss).

With more than one entry, each gets a ``Mean`` tracker named ``"<output>_loss"``
(updated with the unweighted loss and the batch size as weight).
The strings ``"crossentropy"``/``"ce"`` choose binary, sparse categorical or
categorical crossentropy from the shapes, like ``"accuracy"`` for metrics.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from refkeras import backend, ops, tree
from refkeras import losses as losses_lib
from refkeras import metrics as metrics_lib
from refkeras.training.compile_metrics import label_kind, object_name

_CROSSENTROPY_ALIASES = ("crossentropy", "ce")


class LossEntry(NamedTuple):
    path: tuple
    loss: Any
    weight: Any
    name: str


def resolve_loss(identifier: Any, y_true: Any, y_pred: Any) -> Any:
    """A Loss object for one output's ``loss=`` entry."""
    if str(identifier).lower() in _CROSSENTROPY_ALIASES:
        is_binary, is_sparse = label_kind(y_true, y_pred)
        fn = (losses_lib.binary_crossentropy if is_binary else
              losses_lib.sparse_categorical_crossentropy if is_sparse else
              losses_lib.categorical_crossentropy)
    else:
        fn = losses_lib.get(identifier)
    if isinstance(fn, losses_lib.Loss):
        return fn
    name = identifier if isinstance(identifier, str) else object_name(fn)
    return losses_lib.LossFunctionWrapper(fn, name=name)


def _at(values: Any, path: tuple) -> Any:
    for key in path:
        values = values[key]
    return values


def _target_at(y_true: Any, path: tuple) -> Any:
    """The target for the output at ``path``; KeyError naming the path when absent."""
    values = y_true
    for key in path:
        found = (key in values if isinstance(values, dict) else
                 isinstance(values, (list, tuple)) and isinstance(key, int)
                 and -len(values) <= key < len(values))
        if not found:
            raise KeyError(f"The path: {path} in the `loss` argument, can't be found in "
                           "either the model's output (`y_pred`) or in the labels (`y_true`).")
        values = values[key]
    return values


class CompileLoss(losses_lib.Loss):
    """The model's total loss from ``compile``'s ``loss`` and ``loss_weights``."""

    def __init__(self, loss: Any, loss_weights: Any = None, output_names: list | None = None,
                 reduction: str = "sum_over_batch_size"):
        if loss_weights and not isinstance(loss_weights, (list, tuple, dict, float)):
            raise ValueError(
                "Expected `loss_weights` argument to be a float (single output case) or a "
                "list, tuple, or dict (multiple output case). Received instead: "
                f"loss_weights={loss_weights} of type {type(loss_weights)}"
            )
        super().__init__(name="compile_loss", reduction=reduction)
        self._user_loss = loss
        self._user_loss_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self.plan: list[LossEntry] = []
        self.metrics: list = []  # per-output Mean trackers (only with several entries)
        self._pred_structure: Any = None
        self._true_structure: Any = None

    @property
    def variables(self) -> list:
        return [v for metric in self.metrics for v in metric.variables]

    # --- resolution -------------------------------------------------------------------
    def build(self, y_true: Any, y_pred: Any) -> None:
        spec, weights = self._user_loss, self._user_loss_weights
        names = self.output_names
        if names and isinstance(spec, dict) and not isinstance(y_pred, dict):
            if set(names) != set(spec):
                raise ValueError(
                    f"Expected keys {names} in loss dict, but found loss.keys()={list(spec)}"
                )
            spec = [spec[name] for name in names]
            if isinstance(weights, dict):
                weights = [weights[name] for name in names]
        if not tree.is_nested(spec):
            # One loss for every output (and one weight, when given, for the one loss).
            weight = _single_weight(spec, weights)
            spec = tree.map_structure(lambda _: spec, y_pred)
            weights = tree.map_structure(lambda _: weight, y_pred)
        else:
            if isinstance(spec, (list, tuple)) and not isinstance(y_pred, (list, tuple, dict)):
                raise KeyError("The path: () in the `loss` argument, can't be found in the "
                               "model's output (`y_pred`).")
            if (isinstance(spec, (list, tuple)) and not any(tree.is_nested(s) for s in spec)
                    and len(spec) == len(tree.flatten(y_pred))):
                spec = tree.pack_sequence_as(y_pred, list(spec))
            weights = _paired_weights(spec, weights)
        flat_names = self._flat_output_names(y_pred)
        self.plan = []
        for (path, pred), name in zip(tree.flatten_with_path(y_pred), flat_names):
            identifier = _lookup(spec, path)
            if identifier is None:
                continue
            loss = resolve_loss(identifier, _target_at(y_true, path), pred)
            label = name if name is not None else loss.name
            self.plan.append(LossEntry(path, loss, _lookup(weights, path), label))
        if len(self.plan) > 1:
            self.metrics = [metrics_lib.Mean(name=f"{entry.name}_loss") for entry in self.plan]
        self._pred_structure = tree.map_structure(lambda _: None, y_pred)
        self._true_structure = tree.map_structure(lambda _: None, y_true)
        self.built = True

    def _flat_output_names(self, y_pred: Any) -> list:
        """One name per output leaf: dict keys, else the model's output names, else None."""
        flat = tree.flatten_with_path(y_pred)
        names = self.output_names
        if names is not None and len(names) == len(flat) and not isinstance(y_pred, dict):
            return list(names)
        return [str(path[-1]) if path and not isinstance(path[-1], int) else None
                for path, _ in flat]

    # --- computing ---------------------------------------------------------------------
    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        with backend.name_scope(self.name):
            return self.call(y_true, y_pred, sample_weight)

    def call(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        if tree.is_nested(y_pred) or tree.is_nested(y_true):
            y_true = self._align_targets(y_true, y_pred)
        if not self.built:
            self.build(y_true, y_pred)
        trackers = self.metrics or [None] * len(self.plan)
        nested_weights = sample_weight is not None and tree.is_nested(sample_weight)
        total = None
        for entry, tracker in zip(self.plan, trackers):
            y_t, y_p = _at(y_true, entry.path), _at(y_pred, entry.path)
            weight = _at(sample_weight, entry.path) if nested_weights else sample_weight
            value = ops.cast(entry.loss(y_t, y_p, weight), dtype=self.dtype)
            if tracker is not None:
                tracker.update_state(backend.distribution.unscale_loss(value),
                                     sample_weight=tree.flatten(y_p)[0].shape[0])
            if entry.weight is not None:
                value = ops.multiply(value, entry.weight)
            total = value if total is None else total + value
        return total

    def _align_targets(self, y_true: Any, y_pred: Any) -> Any:
        """``y_true`` in the structure of ``y_pred`` (upstream's accepted mismatches)."""
        if _same_structure(y_true, y_pred):
            return y_true
        if not tree.is_nested(y_true) and hasattr(y_pred, "__len__") and len(y_pred) == 1:
            y_true = [y_true]
        elif (isinstance(y_pred, (list, tuple)) and isinstance(y_true, dict)
              and self.output_names and set(self.output_names) == set(y_true)):
            y_true = [y_true[name] for name in self.output_names]
        flat_true = tree.flatten(y_true)
        if len(flat_true) == len(tree.flatten(y_pred)):
            return tree.pack_sequence_as(y_pred, flat_true)
        partial = self._targets_for_partial_loss(flat_true)
        if partial is not None:
            return partial
        y_true_struct = tree.map_structure(lambda _: "*", y_true)
        y_pred_struct = tree.map_structure(lambda _: "*", y_pred)
        raise ValueError(
            "y_true and y_pred have different structures.\n"
            f"y_true: {y_true_struct}\ny_pred: {y_pred_struct}\n"
        )

    def _targets_for_partial_loss(self, flat_true: list) -> Any:
        """Targets given only for the outputs that have a loss: placed in the loss
        specification's structure (None elsewhere); None when the counts differ."""
        flat_loss = tree.flatten(self._user_loss)
        with_loss = [i for i, loss in enumerate(flat_loss) if loss is not None]
        if len(with_loss) != len(flat_true):
            return None
        placed: list = [None] * len(flat_loss)
        for i, target in zip(with_loss, flat_true):
            placed[i] = target
        return tree.pack_sequence_as(self._user_loss, placed)

    def get_config(self) -> dict:
        raise NotImplementedError

    @classmethod
    def from_config(cls, config: dict) -> Any:
        raise NotImplementedError


def _same_structure(a: Any, b: Any) -> bool:
    try:
        tree.assert_same_structure(a, b)
    except (ValueError, TypeError):
        return False
    return True


def _lookup(spec: Any, path: tuple) -> Any:
    """The entry of ``spec`` at ``path``; None where ``spec`` has none (dict without key)."""
    for key in path:
        if isinstance(spec, dict):
            if key not in spec:
                return None
        elif not isinstance(spec, (list, tuple)) or key >= len(spec):
            return spec
        spec = spec[key]
    return spec


def _single_weight(spec: Any, weights: Any) -> Any:
    if weights is None or not tree.is_nested(weights):
        return weights
    flat = tree.flatten(weights)
    if len(flat) != 1:
        raise ValueError(
            f"`loss_weights` must match the number of losses, got 1 losses and "
            f"{len(weights)} weights."
        )
    return flat[0]


def _paired_weights(spec: Any, weights: Any) -> Any:
    """``loss_weights`` in the structure of the loss specification."""
    if weights is None:
        return tree.map_structure(lambda _: None, spec)
    if _same_structure(spec, weights):
        return weights
    flat_spec, flat_weights = tree.flatten(spec), tree.flatten(weights)
    if len(flat_spec) != len(flat_weights):
        raise ValueError(
            f"`loss_weights` must match the number of losses, got {len(flat_spec)} losses "
            f"and {len(weights)} weights."
        )
    return tree.pack_sequence_as(spec, flat_weights)
