"""GraphQL of the analytics: types, the analytics queries, change events."""
