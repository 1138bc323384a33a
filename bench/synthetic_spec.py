#!/usr/bin/env python3
"""Writes a synthetic OpenAPI 3.1 document of N operations to stdout, for scaling benches.

Each operation is `PUT /things{i}/{id}` with a uuid path parameter, an integer query
parameter and a JSON body of three properties, answered 200 with an object or 404/422:
the shape issue "One engine" measures (2,000 and 20,000 operations x 20 examples).

    python3 bench/synthetic_spec.py 2000 > /tmp/synthetic-2000.json
"""
import json
import sys


def operation(i):
    return {
        "operationId": f"put-thing-{i}",
        "summary": f"Replace thing {i}",
        "security": [{"basic": []}],
        "parameters": [
            {"name": "id", "in": "path", "required": True,
             "schema": {"type": "string", "format": "uuid"}},
            {"name": "limit", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
        },
        "responses": {
            "200": {"description": "the thing",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
            "401": {"description": "no credentials"},
            "404": {"description": "no such thing"},
            "422": {"description": "invalid input"},
        },
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    doc = {
        "openapi": "3.1.0",
        "info": {"title": f"synthetic {n}", "version": "1"},
        "paths": {f"/things{i}/{{id}}": {"put": operation(i)} for i in range(n)},
        "components": {
            "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["name", "count"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 40},
                        "count": {"type": "integer", "minimum": 0},
                        "tag": {"type": "string", "enum": ["a", "b", "c"]},
                    },
                }
            },
        },
    }
    json.dump(doc, sys.stdout)


if __name__ == "__main__":
    main()
