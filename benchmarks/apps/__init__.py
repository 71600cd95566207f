"""Stand-alone apps the benchmarks compare ctconsole against."""
