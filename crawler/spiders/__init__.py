"""Scrapy spiders of this project; `college` (spiders/college.py) is the only one.

Its parts: `college.py`, the Scrapy side (arguments and plan, the run, history, the callbacks);
`frontier.py`, which URL of each site is requested (once, within the site's hosts and limits, on the revisit
rotation); `responses.py`, what each answer becomes (its CrawlItem and the requests it leads to).
"""
