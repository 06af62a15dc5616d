"""Exports for slides: a widget as PNG (2×) or SVG, filters and backward sweeps as GIFs."""

from .images import (
    ExportError,
    adaptive_palette,
    array_to_qimage,
    export_png,
    export_svg,
    fixed_palette,
    gif_bytes,
    gif_of_backward_sweep,
    gif_of_filters,
    grid_image,
    lzw_encode,
    map_to_fixed,
    median_cut,
    qimage_to_array,
    render_widget,
    write_gif,
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
