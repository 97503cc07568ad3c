"""Batch report runner (papermill, warm kernels, incremental cache, HTML export)."""
