"""Weight constraints: projections applied to variables after each update."""

from refkeras.constraints.constraint import Constraint as Constraint
from refkeras.constraints.constraint import MaxNorm as MaxNorm
from refkeras.constraints.constraint import MinMaxNorm as MinMaxNorm
from refkeras.constraints.constraint import NonNeg as NonNeg
from refkeras.constraints.constraint import UnitNorm as UnitNorm
from refkeras.constraints.identifiers import ALL_OBJECTS_DICT as ALL_OBJECTS_DICT
from refkeras.constraints.identifiers import deserialize as deserialize
from refkeras.constraints.identifiers import get as get
from refkeras.constraints.identifiers import serialize as serialize

# Lower-case aliases, as upstream exports them.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
