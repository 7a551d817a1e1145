"""NN Playground app: widgets -> config -> engine -> frames -> live element."""
