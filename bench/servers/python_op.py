"""The reference provider: Debian's python3-openid Server as a WSGI app,
served by gunicorn (one worker). It answers what the bench's own provider
answers: checkid requests allowed at once for one user, associate and
check_authentication; POST /pool makes stateless assertions in process,
each turned into a check_authentication request body (case 2)."""
import json
import os
import sys
from urllib.parse import parse_qsl, urlencode, urlsplit

from openid.server import server as openid_server
from openid.store.memstore import MemoryStore

PORT = int(os.environ["PORT"])
BASE = "http://127.0.0.1:%d" % PORT
ENDPOINT = BASE + "/openid"
IDENTITY = BASE + "/user/alice"
OPENID2_NS = "http://specs.openid.net/auth/2.0"

store = MemoryStore()
server = openid_server.Server(store, ENDPOINT)


def read_args(environ):
    if environ["REQUEST_METHOD"] == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(min(length, 65536)).decode("utf-8")
        return dict(parse_qsl(body, keep_blank_values=True))
    return dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))


def send(start_response, webresponse):
    status = "%d %s" % (webresponse.code, "OK" if webresponse.code == 200 else "Redirect" if webresponse.code == 302 else "Error")
    body = webresponse.body.encode("utf-8") if isinstance(webresponse.body, str) else (webresponse.body or b"")
    headers = [(name, value) for name, value in webresponse.headers.items()]
    headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]


def endpoint(environ, start_response):
    try:
        request = server.decodeRequest(read_args(environ))
    except openid_server.ProtocolError as why:
        return send(start_response, server.encodeResponse(why))
    if request is None:
        start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [b"This is an OpenID provider endpoint."]
    if request.mode in ("checkid_setup", "checkid_immediate"):
        response = request.answer(True, identity=IDENTITY)
    else:
        response = server.handleRequest(request)
    return send(start_response, server.encodeResponse(response))


def pool(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    wanted = json.loads(environ["wsgi.input"].read(length) or b"{}")
    count = min(int(wanted.get("count", 0)), 200000)
    realm = wanted.get("realm", "http://rp.example/")
    bodies = []
    for i in range(count):
        request = server.decodeRequest({
            "openid.ns": OPENID2_NS,
            "openid.mode": "checkid_setup",
            "openid.claimed_id": IDENTITY,
            "openid.identity": IDENTITY,
            "openid.return_to": "%sreturn?n=%d" % (realm, i),
            "openid.realm": realm,
        })
        webresponse = server.encodeResponse(request.answer(True, identity=IDENTITY))
        args = dict(parse_qsl(urlsplit(webresponse.headers["location"]).query, keep_blank_values=True))
        args["openid.mode"] = "check_authentication"
        bodies.append(urlencode(args))
    body = json.dumps(bodies).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/openid":
        return endpoint(environ, start_response)
    if path == "/pool" and environ["REQUEST_METHOD"] == "POST":
        return pool(environ, start_response)
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


# gunicorn imports this module in its worker once the socket is bound.
print("READY %d" % PORT, flush=True)
sys.stdout.flush()
