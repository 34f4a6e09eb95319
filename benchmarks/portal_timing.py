"""Portal timings that tests must not assert (a busy CI machine makes them flaky):

* a wrong secret for an existing code and any secret for a made-up code take the same time
  (one password hash of the same cost each; the tests check the hash count);
* the relatives page answers from the cache quickly (the sufficiency estimate per shape).

    DJANGO_SETTINGS_MODULE=nasab_site.settings PYTHONPATH=src:web python benchmarks/portal_timing.py
"""

from __future__ import annotations

import statistics
import time


def main() -> None:
    import django

    django.setup()
    from portal import sufficiency

    t = time.perf_counter()
    sufficiency.assess(["uncle_aunt"])
    cold = time.perf_counter() - t
    t = time.perf_counter()
    sufficiency.assess(["uncle_aunt"])
    warm = time.perf_counter() - t
    print(f"sufficiency estimate: cold {cold:.3f} s, cached {warm * 1000:.2f} ms")
    from django.contrib.auth.hashers import check_password, make_password

    enc = make_password("secret")
    times = []
    for _ in range(9):
        t = time.perf_counter()
        check_password("wrong", enc)
        times.append(time.perf_counter() - t)
    print(f"one password check: median {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
