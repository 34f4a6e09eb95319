"""nasab: DNA-led identification of missing persons.

The engine (this package) has no web dependency. The public API::

    from nasab import Pedigree, Family, Profile, read_ped, read_profiles, read_frequencies
    from nasab import MutationSpec, missing_person_lr

See docs/engine.md for the model and a worked example.
"""

__version__ = "0.1.0"

from nasab.engine.errors import InputError, ModelError, NasabError, PedigreeError  # noqa: E402
from nasab.engine.frequencies import FrequencyTable, read_frequencies  # noqa: E402
from nasab.engine.genotypes import Family, Profile, parse_genotype  # noqa: E402
from nasab.engine.likelihood import marker_likelihood  # noqa: E402
from nasab.engine.lr import LRResult, build_marker_model, missing_person_lr  # noqa: E402
from nasab.engine.mutation import MutationSpec, mutation_matrix  # noqa: E402
from nasab.engine.pedigree import FEMALE, MALE, Pedigree, Person  # noqa: E402
from nasab.formats.io import read_case, read_ped, read_profiles  # noqa: E402

__all__ = [
    "FEMALE", "MALE", "Family", "FrequencyTable", "InputError", "LRResult", "ModelError",
    "MutationSpec", "NasabError", "Pedigree", "PedigreeError", "Person", "Profile",
    "build_marker_model", "marker_likelihood", "missing_person_lr", "mutation_matrix",
    "parse_genotype", "read_case", "read_frequencies", "read_ped", "read_profiles",
]
