"""Scrapy spiders of this project; `college` (spiders/college.py) is the only one."""
