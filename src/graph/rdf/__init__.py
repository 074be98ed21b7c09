"""RDF: terms, writing, reading, SHACL, SPARQL and remote stores."""
