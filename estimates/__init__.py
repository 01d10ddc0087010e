"""estimate-checker: what the notebooks share.

Modules, one job each: ``paths`` (where files live), ``units`` (the one pint registry),
``uncertain`` (90% intervals sampled into quantity arrays), ``validate`` (record files and their
errors), ``claims`` (the claims register), ``sources`` (reference figures and the as-of rule),
``case`` (an article with its register and sources), ``verdicts`` (the scale and the records),
``capacity``, ``places``, ``calendar`` (the domain models), ``coverage`` (every number of a seed
a claim or not), ``hindsight`` (scoring pre-registered answers), ``publish`` (records in notebook
outputs), ``plots`` (the shared charts), ``explore`` (tornado, break-even values, what-if
sliders), ``runner`` (the main job), ``report`` (its pages and records), ``kernels`` (kernels on
private sockets).
"""
from estimates.units import Q_, ureg  # noqa: F401  (loads the registry and sets it as pint's)

__all__ = ["ureg", "Q_"]
