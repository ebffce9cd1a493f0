"""GraphQL of ratings: the ingest contract, the citizen flow, tickets, follow-ups, drivers."""
