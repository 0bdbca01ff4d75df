"""`make bench`: every key page of the portal measured under gunicorn at national scale."""
