"""Exports for slides: a widget as PNG (2×) or SVG, filters and backward sweeps as GIFs."""

from .gif import (
    ExportError,
    adaptive_palette,
    fixed_palette,
    gif_bytes,
    lzw_encode,
    map_to_fixed,
    median_cut,
    write_gif,
)
from .images import (
    array_to_qimage,
    export_png,
    export_svg,
    gif_of_backward_sweep,
    gif_of_filters,
    grid_image,
    qimage_to_array,
    render_widget,
)

__all__ = [
    "ExportError",
    "adaptive_palette",
    "array_to_qimage",
    "export_png",
    "export_svg",
    "fixed_palette",
    "gif_bytes",
    "gif_of_backward_sweep",
    "gif_of_filters",
    "grid_image",
    "lzw_encode",
    "map_to_fixed",
    "median_cut",
    "qimage_to_array",
    "render_widget",
    "write_gif",
]
