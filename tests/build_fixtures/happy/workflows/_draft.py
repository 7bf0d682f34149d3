"""Files starting with an underscore are not workflows: build.py skips them."""
raise RuntimeError("never built")
