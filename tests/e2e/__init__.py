"""Browser tests: the real app served on 127.0.0.1, driven by headless Chromium."""
