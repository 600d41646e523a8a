"""`pressrun verify`: check an already published output folder the way a production desk would.

``runner`` picks the files of each kind and runs one module per kind (``pdf``, ``docx``, ``epub``, ``feeds``,
``html``, ``manifest``), each returning ``findings.Finding`` objects. The modules import their checker
libraries at the top and the runner imports a module only when its kind runs, so nothing here slows down
``pressrun --help`` or ``pressrun check``.
"""
