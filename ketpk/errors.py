"""Exceptions and warnings raised by ketpk.

Every ketpk exception also subclasses the matching builtin, so ``except ValueError`` in user
code keeps working. Messages name the argument, the rule, the value received and the fix.
"""

from __future__ import annotations

__all__ = [
    "CliError",
    "KetpkError",
    "UnitError",
    "ParameterError",
    "RegimenError",
    "ModelNotFoundError",
    "SolverError",
    "FileError",
    "MissingExtraError",
    "KetpkWarning",
    "CovariateRangeWarning",
    "ProtocolLimitWarning",
    "UnphysicalValueWarning",
]


class KetpkError(Exception):
    """Base class of every error ketpk raises."""


class UnitError(KetpkError, TypeError):
    """A physical argument has no unit, the wrong dimension, or is a bare number."""


class ParameterError(KetpkError, ValueError):
    """A model parameter or covariate is missing, non-finite or out of its domain."""


class RegimenError(KetpkError, ValueError):
    """A dose or regimen is inconsistent, out of range or uses a route the model lacks."""


class ModelNotFoundError(KetpkError, LookupError):
    """No model (or protocol) is registered under the requested name."""


class SolverError(KetpkError, RuntimeError):
    """A numerical solver failed or was asked for something it cannot do."""


class FileError(KetpkError, OSError):
    """A file could not be read or written (missing folder or file, no permission, bad encoding)."""


class MissingExtraError(KetpkError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


class KetpkWarning(UserWarning):
    """Base class of ketpk warnings."""


class CovariateRangeWarning(KetpkWarning):
    """A covariate lies outside the range in which the model was validated."""


class ProtocolLimitWarning(KetpkWarning):
    """A regimen exceeds a published maximum of its protocol."""


class UnphysicalValueWarning(KetpkWarning):
    """A published parameter value breaks a physical rule (e.g. a fraction above 1); it is kept
    as published and the reason is in the result's assumptions."""


class CliError(Exception):
    """A command-line usage error, reported as one line by ``ketpk`` (not a library error)."""
