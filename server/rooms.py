"""``/api/rooms/<code>``: the slide number of a room, and nothing else (policylens/rooms.py).

What a room code can read. It moves nothing (only the presenter's session, holding the room's secret, moves a room)
and costs one dictionary or Redis read; the answer is never cached, so a reader always gets the slide of now.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse

from policylens import rooms

_NO_STORE = {"Cache-Control": "no-store"}


async def room_api(request: Request) -> JSONResponse:
    code = rooms.normal_code(str(request.path_params.get("code", "")))
    if code is None:
        return JSONResponse({"error": "not a room code"}, status_code=404, headers=_NO_STORE)
    try:
        slide = await asyncio.to_thread(rooms.store().slide, code)
    except rooms.RoomsOffline:
        return JSONResponse({"error": "the rooms are offline"}, status_code=503, headers=_NO_STORE)
    if slide is None:
        return JSONResponse({"error": "no such room"}, status_code=404, headers=_NO_STORE)
    return JSONResponse({"room": code, "slide": slide}, headers=_NO_STORE)
