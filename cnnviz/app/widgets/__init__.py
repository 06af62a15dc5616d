"""Reusable widgets the panels are built from: map grids, histograms, colour bars."""
