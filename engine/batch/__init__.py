"""Batch runs: many headless games over seeds, swept parameters and sampled uncertainties."""
