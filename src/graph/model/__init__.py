"""The model: ontology (schema as data), records, the Dataset, confidence, name keys, sharing."""
