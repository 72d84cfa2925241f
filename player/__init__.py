"""vmo: a guided exercise routine player for the terminal."""

__version__ = "0.1.0"
