"""The quickstart example: a small shop's orders, from raw rows to daily revenue."""
