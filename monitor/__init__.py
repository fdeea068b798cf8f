"""The monitor: configuration, catalog, rules, judgement, reports, stats, email, scheduling, CLI.

Owns everything a user of xxgk-monitor touches: `config` (config.toml), `catalog` (the MoE 清单 and the
school's directory, as TOML data), the rules and their findings, the report/email/stats renderers, the
scheduler daemon and the `xxgk` command line (`xxgk demo` serves the offline demo college, the top-level
`demo` package).

May import: `storage` (to read facts and record sends) and `demo` (only `xxgk demo` and `xxgk demo-site`).
Never imports `crawler`: crawls run as child processes (`python -m crawler --plan FILE`), which keeps a
long-lived scheduler free of Twisted's one-reactor-per-process rule.
"""
