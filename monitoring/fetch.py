"""STUB (to be replaced by the fetch work): fetch URLs concurrently with httpx."""

import asyncio
import time

import httpx
from django.conf import settings

from monitoring.types import FetchRequest, FetchResult


async def _fetch_one(client: httpx.AsyncClient, req: FetchRequest) -> FetchResult:
    headers = {"Accept": req.accept}
    if req.etag:
        headers["If-None-Match"] = req.etag
    if req.last_modified:
        headers["If-Modified-Since"] = req.last_modified
    start = time.monotonic()
    result = FetchResult(url=req.url)
    try:
        resp = await client.get(req.url, headers=headers, follow_redirects=True)
    except httpx.HTTPError as exc:
        result.error, result.error_code = f"could not reach the server ({exc})", "network"
        return result
    result.final_url = str(resp.url)
    result.status = resp.status_code
    result.headers = {k.lower(): v for k, v in resp.headers.items()}
    result.elapsed = time.monotonic() - start
    if resp.status_code == 304:
        result.not_modified = True
    elif resp.status_code >= 400:
        result.error = f"the server answered {resp.status_code}"
        result.error_code = "http_error"
    else:
        result.body = resp.content
    return result


async def fetch_many(requests: list[FetchRequest]) -> list[FetchResult]:
    async with httpx.AsyncClient(
        timeout=settings.FETCH_READ_TIMEOUT, headers={"User-Agent": settings.FETCH_USER_AGENT}
    ) as client:
        return await asyncio.gather(*(_fetch_one(client, r) for r in requests))


def fetch(request: FetchRequest) -> FetchResult:
    return asyncio.run(fetch_many([request]))[0]
