"""Models: ``Model``, ``Functional`` (``Model(inputs, outputs)``) and ``Sequential``.

``model_from_json`` rebuilds a model from ``Model.to_json()``.
"""

from refkeras.models.functional import Functional as Functional
from refkeras.models.model import Model as Model
from refkeras.models.model import model_from_json as model_from_json
from refkeras.models.sequential import Sequential as Sequential

__all__ = ["Functional", "Model", "Sequential", "model_from_json"]
