"""Familias ``.fam`` files: import into nasab's model and export back.

The layout is described in ``docs/familias-fam-format.md``. In short, a ``.fam`` file is a
line-oriented text file: a header (line 3 holds the Familias version), the persons with their
genotypes (allele and marker *indices*), the known relations and the alternative pedigrees
(parent/child index pairs), the frequency database with each locus' mutation model, and
then INI-like sections (``[DVI]``, ``[Prior]``, ``[Advanced]`` ...).

:func:`read_fam` returns a :class:`FamiliasProject`; :func:`write_fam` writes one back.
Whatever nasab cannot represent is refused with an :class:`~nasab.engine.errors.InputError` that
names the file, the line and what is unsupported; nothing is dropped silently. Settings
are kept as plain fields and written back unchanged: database sizes, minor allele
frequencies and the ``[Advanced]`` options (which nasab does not compute with), and each
locus' dropout probability and silent allele frequency and the persons flagged
"(Consider dropouts)", which :mod:`nasab.formats.familias_convert` turns into nasab's dropout
models and silent allele. A genotype index one past a locus' alleles is its silent allele,
read as the allele ``silent`` (:data:`SILENT`).
"""

from nasab.formats.familias_model import (
    FAMILIAS_MODELS,
    MISSING_PERSON,
    REFERENCE_PEDIGREE,
    SILENT,
    SUPPORTED_MAJOR,
    DVIData,
    DVIFamily,
    FamiliasProject,
    FamPedigree,
    FamPerson,
    LocusInfo,
    build_pedigree,
    default_locus,
    relations_of,
)
from nasab.formats.familias_read import read_fam
from nasab.formats.familias_write import write_fam

__all__ = [
    "FAMILIAS_MODELS",
    "MISSING_PERSON",
    "REFERENCE_PEDIGREE",
    "SILENT",
    "SUPPORTED_MAJOR",
    "DVIData",
    "DVIFamily",
    "FamPedigree",
    "FamPerson",
    "FamiliasProject",
    "LocusInfo",
    "build_pedigree",
    "default_locus",
    "read_fam",
    "relations_of",
    "write_fam",
]
