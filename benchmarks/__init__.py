"""Issue 7's benchmarks: ``python -m benchmarks`` (``make bench``) runs them all."""
