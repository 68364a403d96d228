"""Write Cherry Studio v1 data into real Chromium profiles (IndexedDB and localStorage on disk).

``write_profile`` is the command; ``fixtures`` rebuilds the profiles committed under
``tests/fixtures/chromium_profiles/``. See ``README.md`` in this folder.
"""
