"""Schemathesis hooks for Tests/api/api_fuzz.py (loaded through $SCHEMATHESIS_HOOKS).

- `POST /v1/verify` takes the raw bytes of a PDF (`application/pdf`); Schemathesis has no
  serializer for that media type, so generated bodies are sent as raw bytes, like
  `application/octet-stream`.
- The server refuses an address after 10 failed credentials in 15 minutes (429), and some
  checks send bad credentials on purpose; so every connection comes from its own loopback
  address (127.2.x.y; Linux routes all of 127/8 to lo) and the run sends `Connection: close`.
  The limit itself is tested by api_fuzz.py's matrix.
"""
import itertools

import schemathesis
import urllib3.connection

schemathesis.serializer.alias("application/pdf", "application/octet-stream")

_addresses = itertools.count()
_init = urllib3.connection.HTTPConnection.__init__


def _from_fresh_address(self, *args, **kwargs):
    n = next(_addresses) % (250 * 250)
    kwargs["source_address"] = (f"127.2.{n // 250}.{n % 250 + 1}", 0)
    _init(self, *args, **kwargs)


urllib3.connection.HTTPConnection.__init__ = _from_fresh_address
