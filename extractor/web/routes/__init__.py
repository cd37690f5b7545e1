"""The routes, one module per page and its JSON twin."""
