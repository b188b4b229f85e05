"""The sans-IO core: plans (generators that yield requests) and the two runners that drive them."""
