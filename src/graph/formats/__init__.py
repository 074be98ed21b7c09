"""Other tools' formats: FollowTheMoney, GraphML, GEXF, CSV, Neo4j."""
