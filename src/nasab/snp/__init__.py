"""Dense SNP panels: the LR with linked markers and relationship checks for pairs
(the model is :mod:`nasab.engine.snp`; files :mod:`nasab.formats.snp`)."""
