"""Evidence the council can act on at each review: standard, cheap measures of crime analysis.

One module per measure, each a set of pure, typed functions on tables of incidents:

- :mod:`~hotspots.evidence.concentration`: the law of crime concentration (share of incidents
  in the top cells, share of area holding half of them);
- :mod:`~hotspots.evidence.forecast`: the hot zones in force scored against the next period
  (hit rate, PAI, Recapture Rate Index, stability of the Gi* hot cells);
- :mod:`~hotspots.evidence.compstat`: a CompStat table per unit with an exact test on two counts;
- :mod:`~hotspots.evidence.near_repeat`: the Knox test of near repeats (seeded Monte Carlo);
- :mod:`~hotspots.evidence.harm`: weights per offence class from ``geodata/harm_weights.yaml``.

:mod:`~hotspots.evidence.shown` is the one place that decides what council and the public see;
:mod:`~hotspots.evidence.service` joins the measures for the command line, the review page and
the review pack.
"""
