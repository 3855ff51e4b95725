"""Views of the built graph for people: a self-contained interactive HTML overview (``kg.view.html``).

Pages work offline from disk: every script is inlined, nothing is fetched, and untrusted text (titles,
labels, evidence sentences) only ever reaches the page as escaped JSON rendered with ``textContent``.
"""
