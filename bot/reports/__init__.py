"""`supportbot report`: service figures over a window of cases (figures, renderers, charts).

figures  the numbers, from cases, their audit trails, the policy and the directory (no I/O)
render   text, JSON and HTML documents of the figures
charts   the PNG charts (matplotlib, Agg backend)
"""
