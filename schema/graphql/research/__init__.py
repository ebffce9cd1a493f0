"""GraphQL of researcher breakdowns: types and resolvers."""
