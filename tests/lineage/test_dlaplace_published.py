"""The discrete Laplace fit against published disclapmix figures.

The disclapmix vignette "Introduction" (M. M. Andersen; cran/disclapmix inst/doc/
introduction.html, built 9 January 2019) fits the Danish set of Hallenberg et al. (2005)
(185 men, 10 loci; ../shared/data/ystr/Hallenberg2005_Denmark_haplotypes.tsv is the same
data set, expanded to one row per man) with 1 to 5 clusters and reports that the marginal
BIC chooses 4 clusters with these central haplotypes (DYS19 DYS389I DYS389II DYS390 DYS391
DYS392 DYS393 DYS437 DYS438 DYS439). nasab's fit differs from disclapmix's in the
dispersions (free per cluster and locus here, a GLM of cluster and locus effects there) and
so in the BIC's penalty; the number of clusters and the centres are compared, the
dispersions are not.
"""

from __future__ import annotations

import numpy as np

from nasab.engine.dlaplace import fit_for
from nasab.engine.ystr import read_ystr_database

PUBLISHED_CENTRES = [
    [14, 13, 29, 24, 11, 13, 13, 15, 12, 12],
    [15, 14, 31, 23, 10, 12, 14, 14, 10, 11],
    [15, 13, 30, 25, 10, 11, 13, 14, 11, 11],
    [14, 12, 28, 22, 10, 11, 13, 16, 10, 11],
]


def test_danes_as_published(shared) -> None:
    db = read_ystr_database(shared / "data/ystr/Hallenberg2005_Denmark_haplotypes.tsv")
    assert len(db.rows) == 185
    fit = fit_for(db, db.keys)
    assert fit.clusters == 4
    ours = sorted(fit.centres.astype(int).tolist())
    assert ours == sorted(PUBLISHED_CENTRES)
    assert np.isclose(fit.tau.sum(), 1.0)
