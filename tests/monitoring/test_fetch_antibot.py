"""Anti-bot answers are recognised and explained, genuine pages are not mistaken.

The pages served here copy the markers of the real services' challenge pages
(titles, script paths, headers) as they appear in the wild.
"""

import gzip

import pytest

from monitoring.net import robots
from monitoring.net.fetch import fetch
from monitoring.types import FetchRequest

HTML = "text/html; charset=UTF-8"

CLOUDFLARE_CHALLENGE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper" role="main">
<noscript>Enable JavaScript and cookies to continue</noscript></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "example.fr",cType: 'managed'};
var a = document.createElement('script');
a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f1e2d3c4b5a6978';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>"""

CLOUDFLARE_BLOCK = b"""<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title>
</head><body><div id="cf-wrapper"><div id="cf-error-details" class="cf-error-details-wrapper">
<h1>Sorry, you have been blocked</h1></div></div></body></html>"""

DATADOME_CAPTCHA = b"""<html><head><title>example.fr</title></head><body style="margin:0">
<p id="cmsg">Please enable JS and disable any ad blocker</p>
<script data-cfasync="false">var dd={'rt':'c','cid':'AHrlqAAAAAMA','hsh':'2211F522B61E269B869FA6EAFFB5E1','t':'fe','s':45015,'e':'x','host':'geo.captcha-delivery.com'}</script>
<script data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script></body></html>"""  # noqa: E501

PERIMETERX_BLOCK = b"""<html><head><title>Access to this page has been denied.</title></head>
<body><div id="px-captcha"></div><script>window._pxAppId = 'PXabc123';</script>
<script src="/abc123/captcha/captcha.js?a=c&m=0"></script></body></html>"""

SUCURI_BLOCK = b"""<html><head><title>Sucuri WebSite Firewall - Access Denied</title></head>
<body><h2>Access Denied - Sucuri Website Firewall</h2></body></html>"""

AKAMAI_BLOCK = b"""<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>
You don't have permission to access "http&#58;&#47;&#47;www&#46;example&#46;fr&#47;" on this
server.<P>Reference&#32;&#35;18&#46;5a7e1002&#46;1700000000&#46;1a2b3c4d
<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18&#46;5a7e1002</BODY></HTML>"""


@pytest.fixture(autouse=True)
def _no_robots(settings):
    settings.FETCH_RESPECT_ROBOTS = False
    robots.clear_cache()


def _serve(server, status, headers, body):
    server.route("/feed", body, status=status, headers={"Content-Type": HTML, **headers})
    return fetch(FetchRequest(server.url("/feed")))


@pytest.mark.parametrize(
    "status,headers,body,service",
    [
        (403, {"Server": "cloudflare", "CF-RAY": "8f1e2d3c4b5a6978-CDG",
               "cf-mitigated": "challenge"}, CLOUDFLARE_CHALLENGE, "Cloudflare"),
        (503, {"Server": "cloudflare", "CF-RAY": "8f1e2d3c4b5a6978-CDG"},
         CLOUDFLARE_CHALLENGE, "Cloudflare"),
        (403, {"Server": "cloudflare", "CF-RAY": "8f1e2d3c4b5a6978-CDG"},
         CLOUDFLARE_BLOCK, "Cloudflare"),
        (200, {"cf-mitigated": "challenge"}, CLOUDFLARE_CHALLENGE, "Cloudflare"),
        (403, {"X-DataDome": "protected", "X-DD-B": "1",
               "Set-Cookie": "datadome=abc; Path=/"}, DATADOME_CAPTCHA, "DataDome"),
        (403, {}, DATADOME_CAPTCHA, "DataDome"),
        (403, {}, PERIMETERX_BLOCK, "PerimeterX (HUMAN)"),
        (403, {"Server": "Sucuri/Cloudproxy", "X-Sucuri-Block": "BL001"},
         SUCURI_BLOCK, "Sucuri"),
        (403, {"Server": "AkamaiGHost"}, AKAMAI_BLOCK, "Akamai"),
        (405, {"x-amzn-waf-action": "captcha"}, b"<html></html>", "AWS WAF"),
    ],
)  # fmt: skip
def test_it_recognises_anti_bot_answers(server, status, headers, body, service):
    result = _serve(server, status, headers, body)
    assert result.error_code == "antibot"
    assert service in result.error
    assert "blocks automated reading" in result.error
    assert result.body == b""
    assert result.status == status


def test_it_recognises_a_compressed_challenge(server):
    result = _serve(
        server,
        403,
        {"Server": "cloudflare", "CF-RAY": "1-CDG", "Content-Encoding": "gzip"},
        gzip.compress(CLOUDFLARE_CHALLENGE),
    )
    assert result.error_code == "antibot"


@pytest.mark.parametrize(
    "status,headers,body,code",
    [
        (403, {}, b"<html><title>403 Forbidden</title><h1>Forbidden</h1></html>", "http_error"),
        # "Just a moment" from a server that is not Cloudflare is just a page.
        (403, {}, b"<html><title>Just a moment...</title></html>", "http_error"),
        # An article about Cloudflare and DataDome, served normally, is content.
        (200, {"Server": "cloudflare", "CF-RAY": "1-CDG"},
         b"<html><title>Just a moment...</title>captcha-delivery.com, datadome</html>", ""),
        (200, {"X-DataDome": "protected"}, b"<html>ok</html>", ""),
    ],
)  # fmt: skip
def test_it_does_not_mistake_ordinary_answers(server, status, headers, body, code):
    result = _serve(server, status, headers, body)
    assert result.error_code == code
