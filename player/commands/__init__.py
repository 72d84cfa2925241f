"""One module per `vmo` command: `add_parser(subparsers)` and `run(args) -> int`."""
