"""The 8D: the eight disciplines a quality team works a complaint through, and the report made from them."""
