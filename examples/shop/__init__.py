"""A toy shop backend used to demonstrate dunderls."""
