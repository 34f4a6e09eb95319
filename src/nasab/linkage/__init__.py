"""Record linkage of missing-person reports (issue 5): no Django, plain functions.

* :mod:`nasab.linkage.normalise` — Arabic/Latin name normalisation, phonetic keys
* :mod:`nasab.linkage.synth` — synthetic reports with ground truth
* :mod:`nasab.linkage.synth_intake` — synthetic reports as intake staff write them (issue 18)
* :mod:`nasab.linkage.lexicon` — name identities (its data: :mod:`nasab.linkage.lexicon_data`)
* :mod:`nasab.linkage.dedup` — duplicate detection with splink (``find_duplicates``,
  ``candidates_for``, ``cluster_pairs``)
* :mod:`nasab.linkage.pfif` — PFIF 1.4 import and export
* :mod:`nasab.linkage.io` — report CSV files

The submodules are imported on demand (``dedup`` loads pandas, duckdb and splink).
"""
