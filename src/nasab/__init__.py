"""nasab: DNA-led identification of missing persons.

The engine (``nasab.engine``) has no web dependency. The public API::

    from nasab import Pedigree, Family, Profile, read_ped, read_profiles, read_frequencies
    from nasab import MutationSpec, missing_person_lr

See docs/engine.md for the model and a worked example, docs/architecture.md for the layers.
Names are loaded on first use, so that ``import nasab`` (and every command) starts quickly.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "InputError": "nasab.engine.errors",
    "ModelError": "nasab.engine.errors",
    "NasabError": "nasab.engine.errors",
    "PedigreeError": "nasab.engine.errors",
    "FrequencyTable": "nasab.engine.frequencies",
    "read_frequencies": "nasab.engine.frequencies",
    "Family": "nasab.engine.genotypes",
    "Profile": "nasab.engine.genotypes",
    "parse_genotype": "nasab.engine.genotypes",
    "read_case": "nasab.formats.io",
    "read_ped": "nasab.formats.io",
    "read_profiles": "nasab.formats.io",
    "marker_likelihood": "nasab.engine.likelihood",
    "LRResult": "nasab.engine.lr",
    "build_marker_model": "nasab.engine.lr",
    "missing_person_lr": "nasab.engine.lr",
    "MutationSpec": "nasab.engine.mutation",
    "mutation_matrix": "nasab.engine.mutation",
    "FEMALE": "nasab.engine.pedigree",
    "MALE": "nasab.engine.pedigree",
    "Pedigree": "nasab.engine.pedigree",
    "Person": "nasab.engine.pedigree",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nasab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
