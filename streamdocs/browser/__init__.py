"""Driving Chromium over the built site: launching it (chromium.py), serving the site
on loopback (server.py), `make audit` (audit.py) and `make screenshots` (screenshots.py)."""
