"""State every app host shares through the database: rate-limit buckets and the public-score stamps."""
