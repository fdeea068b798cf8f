"""The weekly email (`xxgk email`): the office gets every late column, each department contact only theirs.

Three layers, one module each: `facts` reads the week from the judgement and storage (`todo` says who acts
on each row and by when, and the sites' display names), `digest` selects one recipient's part (routes from
`routing`) and groups it by department, `render_html` / `render_text` lay it out (escaping everything that
came from the web), `message` builds the EmailMessage, then each route's reporters (`reporters/`, a
registry: `smtp` over `send`, `outbox` as .eml, 企业微信 and 钉钉 robots as markdown from `render_markdown`)
deliver it. `weekly.send_weekly(config, *, as_of, dry_run=False, outbox=None, force=False)` is the one entry
point the CLI and the scheduler call. This file imports nothing, so importing a submodule stays cheap.
"""
