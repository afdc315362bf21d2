"""Engines: drivers that claim items from the store and record outcomes through ``ItemDriver``."""
