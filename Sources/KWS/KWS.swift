// Public API of kws: see KeywordSpotter.
