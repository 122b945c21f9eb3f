"""Case 4, python3-openid: Consumer.complete() on the same prepared
assertions (stored association, memory store with `pre_nonces` nonces,
the discovered endpoint in each login's session). Prints one JSON line."""
import json
import os
import resource
import sys
import time
from urllib.parse import parse_qsl, urlsplit

from openid.association import Association
from openid.consumer.consumer import Consumer
from openid.consumer.discover import OPENID_2_0_TYPE, OpenIDServiceEndpoint
from openid.store.memstore import MemoryStore
import base64

path, pre_nonces, rounds, seconds, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
with open(path) as handle:
    data = json.load(handle)

store = MemoryStore()
store.storeAssociation(data["endpoint"], Association.fromExpiresIn(3600, data["handle"], base64.b64decode(data["secret"]), "HMAC-SHA256"))
now = int(time.time())
for i in range(pre_nonces):
    store.useNonce(data["endpoint"], now - (i % 600), "pre%08d" % i)

endpoint = OpenIDServiceEndpoint()
endpoint.claimed_id = data["claimedId"]
endpoint.server_url = data["endpoint"]
endpoint.type_uris = [OPENID_2_0_TYPE]
urls = [entry["url"] for entry in data["assertions"]]
state = {"next": 0, "failed": 0, "first": None}


def run(limit):
    start_cpu = time.process_time()
    start = time.perf_counter()
    ops = 0
    while time.perf_counter() - start < limit and state["next"] < len(urls):
        url = urls[state["next"]]
        state["next"] += 1
        session = {"_openid_consumer_last_token": endpoint}
        response = Consumer(session, store).complete(dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)), url)
        if response.status != "success":
            state["failed"] += 1
            if state["first"] is None:
                state["first"] = "%s: %s" % (response.status, getattr(response, "message", ""))
        ops += 1
    wall = time.perf_counter() - start
    cpu = time.process_time() - start_cpu
    return {"ops": ops, "wall": ops / wall, "cpu": ops / cpu if cpu > 0 else None}


import logging
logging.disable(logging.CRITICAL)
run(warmup)
results = [run(seconds) for _ in range(rounds)]
print(json.dumps({
    "rounds": results,
    "failed": state["failed"],
    "firstFailure": state["first"],
    "exhausted": state["next"] >= len(urls),
    "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
