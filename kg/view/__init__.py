"""Views of the built graph for people: a self-contained interactive HTML overview (``kg.view.html``, vis-network
or sigma.js/WebGL by size), static index/entity/paper pages (``kg.view.pages``) with ego-network pictures
(``kg.view.ego``), and the precomputed layout (``kg.view.layout``).

Pages work offline from disk: every script is inlined, nothing is fetched, and untrusted text (titles,
labels, evidence sentences) only ever reaches the page as escaped JSON rendered with ``textContent`` or as
escaped HTML/SVG text.
"""
