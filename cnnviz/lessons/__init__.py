"""What the lecture panels explain, computed from a trainer: no Qt.

The rule of each backpropagation phase with its live numbers (:mod:`.explain`), the
convolution explainer's steps (:mod:`.convsteps`), the gradient check's table
(:mod:`.gradient_table`) and the preparation of a drawn digit (:mod:`.drawing`). Imports
``engine`` and ``training``; the app renders what these modules compute.
"""
