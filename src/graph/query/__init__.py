"""Projections of a Dataset for questions: the graph, filters, paths, networks, evidence."""
