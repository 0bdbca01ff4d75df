"""The national data generator: a PostgreSQL database filled with national-scale,
deterministic demonstration data for the benchmark (`make national`, `make bench`).

It is not part of the portal: nothing in `app/` imports it (an import-linter contract holds
that), and a deployment may leave it out. `wsgi.py` adds its command, `flask demo national`,
to the portal's `demo` group when the package is there; `national.build` is the entry point.
This module stays empty so that adding the command imports nothing heavy.
"""
