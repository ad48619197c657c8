"""Matrix exponential of a stack of matrices, vectorised over the stack.

Padé(13) approximant with scaling and squaring (Higham, SIAM J Matrix Anal Appl 2005;26:1179,
Table 2.3 and Algorithm 2.3), the method behind ``scipy.linalg.expm``. scipy loops over a
stack matrix by matrix in Python; here every product, the linear solve and the squarings are
batched over the stack (each matrix gets its own number of squarings). No eigendecomposition:
exact in floating point for defective matrices (repeated eigenvalues, transit chains).
"""

from __future__ import annotations

import numpy as np

__all__ = ["expm"]

# Higham 2005, eq. (2.4) coefficients b_0..b_13 of the [13/13] Padé approximant.
_B = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
      129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
      40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152  # Higham 2005, Table 2.3


def expm(M: np.ndarray) -> np.ndarray:
    """``exp(M)`` for ``M`` of shape (..., k, k)."""
    M = np.asarray(M, dtype=float)
    shape = M.shape
    M = M.reshape(-1, shape[-1], shape[-1])
    norm = np.abs(M).sum(axis=-2).max(axis=-1)
    with np.errstate(divide="ignore"):
        s = np.maximum(0, np.ceil(np.log2(norm / _THETA13))).astype(int)
    X = M * np.exp2(-s)[:, None, None]
    eye = np.eye(shape[-1])
    X2 = X @ X
    X4 = X2 @ X2
    X6 = X4 @ X2
    b = _B
    U = X @ (X6 @ (b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4 + b[3] * X2 + b[1] * eye)
    V = X6 @ (b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2 + b[0] * eye
    R = np.linalg.solve(V - U, V + U)
    for k in range(int(s.max(initial=0))):
        square = s > k
        if square.all():
            R = R @ R
        else:
            R[square] = R[square] @ R[square]
    return R.reshape(shape)
