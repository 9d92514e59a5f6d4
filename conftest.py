"""Suite-wide pytest settings. Being at the repository root, this file also makes pytest put
the root on ``sys.path`` (its rootdir-conftest rule), so tests import ``tests.support`` and
``benchmarks`` the way ``python -m benchmarks.NAME`` does from the root."""
