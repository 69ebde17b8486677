"""Harvesting neighbours' catalogs."""
