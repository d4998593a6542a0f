"""Server configurations as data: parse them, evaluate a request against them, lint them."""
