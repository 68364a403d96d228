"""Helpers shared by several migrators: warning grouping, row checks, data-URL images, secret fields,
legacy file lookup and value coercion."""
