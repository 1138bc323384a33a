"""A small conformant FastAPI app for gauntlet's frameworks suite.

It serves the spec FastAPI derives from its own code, as FastAPI apps in the wild do:
an OAuth2 bearer and an API key, optional parameters written as `anyOf` with `null`,
a multipart upload, a discriminated union, two parameters in one path segment, and
401s and 404s the generated spec does not document.

Usage: python app.py SPEC_OUT [--broken]. It writes its OpenAPI document to SPEC_OUT,
binds 127.0.0.1 on an ephemeral port and prints `listening PORT` once it accepts.
With --broken it plants defects gauntlet must find (see BROKEN below).
"""

import sys
from typing import Annotated, Literal, Optional, Union

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Security, UploadFile
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from pydantic import BaseModel, Field
from serve import serve

TOKEN = "fw-token"
KEY = "fw-key"
BROKEN = "--broken" in sys.argv

app = FastAPI(title="frameworks-fastapi", version="1.0.0")
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
api_key = APIKeyHeader(name="X-API-Key")


def signed_in(token: Annotated[str, Depends(oauth2)]) -> None:
    if token != TOKEN:
        raise HTTPException(401, "unknown token", headers={"WWW-Authenticate": "Bearer"})


def keyed(key: Annotated[str, Security(api_key)]) -> None:
    if key != KEY:
        raise HTTPException(401, "unknown API key")


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    price: float = Field(ge=0, le=1_000_000)
    tags: list[str] = Field(default_factory=list, max_length=5)


class Item(ItemIn):
    id: int = Field(ge=1)


class Widget(BaseModel):
    id: int
    version: int


class Cat(BaseModel):
    pet_type: Literal["cat"]
    name: str = Field(min_length=1, max_length=30)
    indoor: bool


class Dog(BaseModel):
    pet_type: Literal["dog"]
    name: str = Field(min_length=1, max_length=30)
    good_boy: bool = True


Pet = Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]


class Upload(BaseModel):
    filename: str
    size: int = Field(ge=0)
    description: Optional[str] = None


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/items", dependencies=[Depends(signed_in)])
def list_items(
    limit: Annotated[Optional[int], Query(ge=1, le=100)] = None,
    q: Annotated[Optional[str], Query(max_length=20)] = None,
) -> list[Item]:
    items = [Item(id=1, name="first", price=1.5, tags=["a"])]
    if BROKEN and limit == 100:
        raise RuntimeError("off by one")  # a 500 on a valid edge value
    return items[: limit or 10]


# What was created can be read back (a chain of create -> read checks it), up to a bound.
STORED: dict[int, Item] = {1: Item(id=1, name="first", price=1.5)}


@app.post("/items", status_code=201, dependencies=[Depends(keyed)])
def create_item(item: ItemIn) -> Item:
    created = Item(id=len(STORED) + 1, **item.model_dump())
    if len(STORED) < 100_000:
        STORED[created.id] = created
    return created


@app.get("/items/{item_id}", dependencies=[Depends(signed_in)])
def get_item(item_id: Annotated[int, Field(ge=1)]) -> Item:
    if item_id not in STORED:
        raise HTTPException(404, "no such item")
    return STORED[item_id]


@app.get("/widgets/{widget_id}-v{version}")
def get_widget(
    widget_id: Annotated[int, Field(ge=1)], version: Annotated[int, Field(ge=1, le=9)]
) -> Widget:
    return Widget(id=widget_id, version=version)


@app.post("/pets")
def create_pet(pet: Pet) -> Pet:
    return pet


@app.post("/uploads")
async def upload(
    file: Annotated[UploadFile, File()],
    description: Annotated[Optional[str], Form(max_length=50)] = None,
) -> Upload:
    data = await file.read()
    return Upload(filename=file.filename or "", size=len(data), description=description)


if BROKEN:

    @app.get("/broken/echo")
    def echo(n: Annotated[int, Query(ge=1, le=10)]) -> Widget:
        # The body breaks its own schema: version must be an integer.
        return JSONResponse({"id": n, "version": "one"})


def main() -> None:
    serve(app)


if __name__ == "__main__":
    main()
