"""Parts of bench/pages.py: the city, the HTTP client, the load, the processes, the report."""
