"""Scripts that print speed and memory figures (docs/benchmarks.md); not part of the test run."""
