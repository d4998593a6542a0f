"""nginx: the configuration model, the request evaluator (`why`) and the lint rules."""
