// HearthCLI: output helpers for the hearth CLI
