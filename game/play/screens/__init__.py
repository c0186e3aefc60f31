"""The screens the play loop runs: title, level (with its pause menu), results, calibration."""
