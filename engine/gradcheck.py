"""Central-difference check of backpropagation."""

import numpy as np


def gradient_check(net, X, y, l2=0.0, l1=0.0, eps=1e-6):
    """Relative error ``‖g - ĝ‖ / (‖g‖ + ‖ĝ‖)`` per layer between backprop's gradients ``g``
    and central differences ``ĝ`` of the loss; below ~1e-7 in float64 when backprop is right.
    Biases count with their layer when the network has them."""
    _, grads = net.loss_and_gradients(X, y, l2, l1)
    errors = []
    for layer, grad in zip(net.params, grads):
        pairs = zip(layer, grad) if net.bias else [(layer[0], grad[0])]
        analytic, numeric = [], []
        for p, g in pairs:
            estimate = np.empty_like(p)
            for i in np.ndindex(p.shape):
                original = p[i]
                p[i] = original + eps
                plus = net.loss_value(X, y, l2, l1)
                p[i] = original - eps
                minus = net.loss_value(X, y, l2, l1)
                p[i] = original
                estimate[i] = (plus - minus) / (2 * eps)
            analytic.append(g.ravel())
            numeric.append(estimate.ravel())
        a, n = np.concatenate(analytic), np.concatenate(numeric)
        scale = np.linalg.norm(a) + np.linalg.norm(n)
        errors.append(float(np.linalg.norm(a - n) / scale) if scale else 0.0)
    return errors
