"""The benchmark suite: how fast, how cheap and how it grows, as ratios against bare Scrapy and a peer.

Owns: the generated college site and its loopback server (`sitegen`, `site`), the bare link-following Scrapy
spider (`baseline`), the changedetection.io driver (`cdio`), timing and memory measurement (`measure`), the
experiments behind each figure (`runs`), the table plus `bench/results.json` (`report`), and the crawl profile
(`profile`). Run it as `python -m bench --quick|--full` (`make bench-quick`, `make bench`).

It may import `monitor.config` (to turn a config.toml into the crawl plan the product would run), `storage`
(read-only counts) and `demo`; it starts the product the way a user does: `xxgk crawl`, `xxgk report`,
`python -m crawler --plan FILE` as child processes, so what is timed is what a user waits for.
"""
