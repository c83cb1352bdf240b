"""The support case as an entity with its lifecycle: pure data and rules, no I/O.

`vocabulary` names the values (priority, status, who spoke last, note kinds) once for every
layer; `entity` is the case record; `transitions` lists the status changes allowed;
`operations` turns what a person does into the changes to store and the events to announce.
Stores only persist what operations return.
"""
