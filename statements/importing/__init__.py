"""Bringing articles into the database: readers per input kind, speaker resolution, the import service.

The `import_articles` command and the admin's "re-extract" action are thin layers over `service`.
"""
