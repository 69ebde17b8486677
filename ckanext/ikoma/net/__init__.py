"""The extension's way out to the network: address rules (addresses.py) and the fetcher (fetch.py)."""
