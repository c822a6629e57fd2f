"""Proofline's desktop editor: a thin Qt front end over `edgemodel` (run with `python -m app`)."""
