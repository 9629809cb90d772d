"""The stages of the mention finder (reputation/mentions/finder.py), one a module:
the compiled matcher, languages, finding matches, building mentions, saving them."""
