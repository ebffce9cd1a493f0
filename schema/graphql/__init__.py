"""The GraphQL schema of arvio: one module (or package) per domain, and the shared pieces."""
