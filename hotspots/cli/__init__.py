"""The command line: ``python -m hotspots COMMAND …``; the parser and one module per command group."""
