"""The batch pane: one action on a pasted or loaded list, over `ctconsole.writes.batch`."""
