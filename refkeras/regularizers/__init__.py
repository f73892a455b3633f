"""Weight regularizers: penalties added to a model's loss."""

from refkeras.regularizers.identifiers import ALL_OBJECTS_DICT as ALL_OBJECTS_DICT
from refkeras.regularizers.identifiers import deserialize as deserialize
from refkeras.regularizers.identifiers import get as get
from refkeras.regularizers.identifiers import serialize as serialize
from refkeras.regularizers.regularizer import L1 as L1
from refkeras.regularizers.regularizer import L1L2 as L1L2
from refkeras.regularizers.regularizer import L2 as L2
from refkeras.regularizers.regularizer import Regularizer as Regularizer

# Lower-case aliases, as upstream exports them.
l1 = L1
l2 = L2
l1_l2 = L1L2
