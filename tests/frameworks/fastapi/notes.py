"""A small CRUD FastAPI app with owners, for gauntlet's stateful checks.

Each note belongs to the user whose bearer token created it (`ann-token`, `bob-token`,
`carol-token`).
The conformant app serves, updates and deletes a note for its owner only (404 to anyone
else), forgets what is deleted, and sets `owner` and `pinned` itself.

Usage: python notes.py SPEC_OUT [--broken]. It writes its OpenAPI document to SPEC_OUT,
binds 127.0.0.1 on an ephemeral port and prints `listening PORT` once it accepts.
With --broken it plants five defects: a deleted note is still served (use after free),
any user reads (cross-user read) and updates (cross-user write) any note, a create copies
`owner` and `pinned` from the request, and an update copies `owner` (mass assignment).
"""

import itertools
import sys
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from serve import serve

USERS = {"ann-token": "ann", "bob-token": "bob", "carol-token": "carol"}
BROKEN = "--broken" in sys.argv
MAX_NOTES = 100_000

app = FastAPI(title="frameworks-notes", version="1.0.0")
bearer = HTTPBearer()


def user(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> str:
    if creds.credentials not in USERS:
        raise HTTPException(401, "unknown token", headers={"WWW-Authenticate": "Bearer"})
    return USERS[creds.credentials]


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=40)
    text: str = Field(default="", max_length=200)


class Note(NoteIn):
    id: int = Field(ge=1)
    owner: str
    pinned: bool = False


NOTES: dict[int, dict] = {}
NEXT_ID = itertools.count(1)  # never reused, deletes or not
DELETED: set[int] = set()


def found(note_id: int, who: str) -> dict:
    note = NOTES.get(note_id)
    if note is None or (note_id in DELETED and not BROKEN):
        raise HTTPException(404, "no such note")
    # The broken twin never checks the owner.
    if note["owner"] != who and not BROKEN:
        raise HTTPException(404, "no such note")
    return note


@app.post("/notes", status_code=201)
async def create_note(
    note: NoteIn, request: Request, who: Annotated[str, Depends(user)]
) -> Note:
    record = {"id": next(NEXT_ID), "owner": who, "pinned": False, **note.model_dump()}
    if BROKEN:
        # Copies what the client sent onto the record.
        raw = await request.json()
        record.update({k: v for k, v in raw.items() if k in ("owner", "pinned")})
    if len(NOTES) < MAX_NOTES:
        NOTES[record["id"]] = record
    return Note.model_validate(record)


@app.get("/notes/{note_id}")
def get_note(note_id: int, who: Annotated[str, Depends(user)]) -> Note:
    return Note.model_validate(found(note_id, who))


@app.put("/notes/{note_id}")
async def update_note(
    note_id: int, note: NoteIn, request: Request, who: Annotated[str, Depends(user)]
) -> Note:
    record = found(note_id, who)
    record.update(note.model_dump())
    if BROKEN:
        # Copies an owner the client sent: whoever updates a note can give it away.
        raw = await request.json()
        record.update({k: v for k, v in raw.items() if k == "owner"})
    return Note.model_validate(record)


@app.delete("/notes/{note_id}", status_code=204)
def delete_note(note_id: int, who: Annotated[str, Depends(user)]) -> Response:
    found(note_id, who)
    if BROKEN:
        DELETED.add(note_id)  # marked, and still served
    else:
        del NOTES[note_id]
    return Response(status_code=204)


def main() -> None:
    serve(app)


if __name__ == "__main__":
    main()
