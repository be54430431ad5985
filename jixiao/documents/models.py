"""The documents app stores nothing of its own: 批量生成 jobs are jixiao.jobs ``Job`` rows of kind
``documents.package`` (migration 0002 moved the former PackageJob rows there)."""
