"""The operational AI and the baseline players it is measured against."""
