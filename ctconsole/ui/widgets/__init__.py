"""Widgets of the UI: the virtualised DataGrid and the small pieces every pane shares."""

from ctconsole.ui.widgets.grid import DataGrid
from ctconsole.ui.widgets.grid_model import Column, GridModel, visible
