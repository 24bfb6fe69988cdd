"""Checks of the lineage `cur lineage export` writes, with DataHub's own SDK."""

from cur_lineage_check.validate import ProposalError, load_proposals, validate_proposals

__all__ = ["ProposalError", "load_proposals", "validate_proposals"]
