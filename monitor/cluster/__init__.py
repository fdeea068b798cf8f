"""Crawling on Scrapyd nodes (issue 16 §1, docs/scale.md): the egg, the nodes' HTTP API, the dispatcher.

- `egg`: the crawler and storage packages as a Scrapy project egg, and its version (`build_egg`,
  `egg_version`); `xxgk deploy` uploads it (`addversion.json`)
- `scrapyd`: one node's HTTP API over urllib (`Node`, `NodeDown`, `NodeError`)
- `nodes`: which configured nodes may crawl (up, holding our egg)
- `split`: the plan's sites into jobs by host
- `dispatch`: `run_cluster_crawl`, what `xxgk crawl` does with [cluster] nodes
- `progress`: per node and site, live on a terminal, plain lines otherwise
- `compare`: two JSON reports, run ids aside (the scale demo, the tests)

Imports storage and the monitor's own modules, never the crawler (its files are packaged, not imported).
"""
