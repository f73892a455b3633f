"""Training: compile/fit/evaluate/predict and the data pipeline that feeds them.

Importing this package registers :class:`Trainer` with ``refkeras.models`` so
that every Model gets ``compile``, ``fit``, ``evaluate``, ``predict`` and the
rest (see ``refkeras/models/training_api.py``).
"""

from refkeras.models import training_api as _training_api
from refkeras.training.compile_loss import CompileLoss as CompileLoss
from refkeras.training.compile_metrics import CompileMetrics as CompileMetrics
from refkeras.training.trainer import Trainer as Trainer

_training_api.register(Trainer)
