"""Publication: reading published scores of many services at once; freezing them as numbered publications."""
