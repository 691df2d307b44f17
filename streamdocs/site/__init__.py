"""Building the site: the strict build (build.py), the post-build step (postbuild.py),
the Zensical build (zensical.py) and the checks a build cannot make (checks.py)."""
