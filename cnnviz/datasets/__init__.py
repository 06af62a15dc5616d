"""Datasets for cnnviz: built-in generated sets, downloadable classics and image folders.

>>> from cnnviz.datasets import load_dataset
>>> ds = load_dataset("synthetic-digits")
>>> ds.input_shape, ds.num_classes
((1, 28, 28), 10)
>>> ds.batch("train", [0, 1, 2]).shape
(3, 1, 28, 28)

See docs/datasets.md for the list, the cache folder and working offline.
"""

from cnnviz.datasets.base import (
    Dataset,
    DatasetError,
    DatasetInfo,
    DownloadCancelled,
    Normalization,
)
from cnnviz.datasets.paths import data_dir
from cnnviz.datasets.registry import (
    FOLDER_PREFIX,
    DatasetSpec,
    dataset_info,
    download_dataset,
    is_available,
    list_datasets,
    load_dataset,
)

__all__ = [
    "FOLDER_PREFIX",
    "Dataset",
    "DatasetError",
    "DatasetInfo",
    "DatasetSpec",
    "DownloadCancelled",
    "Normalization",
    "data_dir",
    "dataset_info",
    "download_dataset",
    "is_available",
    "list_datasets",
    "load_dataset",
]
