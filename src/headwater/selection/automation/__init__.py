"""Declarative automation at the specs level: the subsets, the records, and the pure evaluation of
``AutomationCondition`` trees (``specs.automation_condition``) over an asset graph and its state."""
