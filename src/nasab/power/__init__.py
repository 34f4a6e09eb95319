"""``nasab power``: how informative a family's references are, and whom to sample next.

analysis (the power of one reference set), tables (the exact per-marker tables from the
engine), whom (whom to sample next), programme (every family of a programme), exclusion
(brute-force check), cli (the command).
"""
