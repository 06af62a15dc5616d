"""The window's panels: one module per tab or dock."""
