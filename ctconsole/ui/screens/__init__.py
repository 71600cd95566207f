"""One module per pane (plus its .tcss); `base.ResourceScreen` is what they share."""
