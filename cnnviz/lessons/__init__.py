"""What the lecture panels explain, computed from a trainer: no Qt.

The rule of each backpropagation phase with its live numbers: one lesson per layer kind, loss
and optimiser (:mod:`.conv`, :mod:`.pool`, :mod:`.dense`, :mod:`.activation`, :mod:`.loss`,
:mod:`.update`), registered in one table (:mod:`.registry`) that :func:`.explain.explain_phase`
looks phases up in; the works they cite (:mod:`.references`); the convolution explainer's
steps and examples (:mod:`.convsteps`, :mod:`.convcatalogue`); the gradient check's table
(:mod:`.gradient_table`); the preparation of a drawn digit (:mod:`.drawing`); and every number
formatter (:mod:`.numbers`). Imports ``engine``, ``training`` and ``datasets``; the app renders
what these modules compute. See docs/lessons.md.
"""
