"""Build benchmarks for the site: full, parallel, incremental and no-change builds."""
