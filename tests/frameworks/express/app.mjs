// A small conformant Express app for gauntlet's frameworks suite: express-openapi-validator
// checks every request, response and credential against ./openapi.yaml (OAuth2 and HTTP
// bearer, API keys in a query, a header and a cookie, OR and AND requirements, readOnly and
// writeOnly, a multipart upload, a discriminator, two parameters in one path segment, and an
// operation that documents no rejection).
//
// Usage: node app.mjs [--broken]. It prints `listening PORT` once it accepts on 127.0.0.1.
// With --broken it plants defects gauntlet must find (see BROKEN below).
import express from "express";
import * as OpenApiValidator from "express-openapi-validator";
import { fileURLToPath } from "node:url";

const TOKEN = "fw-token";
const KEY = "fw-key";
const BROKEN = process.argv.includes("--broken");
const spec = fileURLToPath(new URL("./openapi.yaml", import.meta.url));

const bearer = (req) => req.headers.authorization === `Bearer ${TOKEN}`;
const handlers = {
  bearerAuth: bearer,
  oauth2: bearer,
  apiKeyQuery: (req) => req.query.api_key === KEY,
  apiKeyHeader: (req) => req.headers["x-api-key"] === KEY,
  sessionCookie: (req) => (req.headers.cookie || "").split(/;\s*/).includes(`session=${KEY}`),
};

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
// express-openapi-validator 5.6.2 answers an empty JSON body for a discriminated oneOf with
// 500 (`Cannot read properties of undefined (reading 'petType')`): gauntlet's boundary phase
// found it. The conformant app refuses such a body first; the broken twin does not.
app.use((req, res, next) => {
  const json = (req.headers["content-type"] || "").startsWith("application/json");
  if (!BROKEN && json && req.body === undefined && ["POST", "PUT", "PATCH"].includes(req.method)) {
    return res.status(400).json({ message: "request body required" });
  }
  next();
});
app.use(
  OpenApiValidator.middleware({
    apiSpec: spec,
    validateRequests: true,
    // Broken: the answers are not checked, so the planted defects reach the client.
    validateResponses: !BROKEN,
    validateSecurity: { handlers },
    // Broken: /search takes any query.
    ignorePaths: BROKEN ? /^\/search/ : undefined,
  }),
);

app.get("/health", (req, res) => res.json({ status: "ok" }));

// What was created can be read back (a chain of create -> read checks it), up to a bound.
const things = new Map([[1, { id: 1, name: "first" }]]);
let nextId = 2;

app.post("/things", (req, res) => {
  const { name, color } = req.body;
  const thing = color ? { id: nextId, name, color } : { id: nextId, name };
  if (nextId < 100000) things.set(nextId, thing);
  nextId += 1;
  res.status(201).json(thing);
});

app.get("/things/:id", (req, res) => {
  const thing = things.get(Number(req.params.id));
  if (!thing) return res.status(404).json({ message: "no such thing" });
  // Broken: the body lacks its required name.
  res.json(BROKEN ? { id: thing.id } : thing);
});

app.get("/files/:a,:b", (req, res) => res.json({ a: req.params.a, b: Number(req.params.b) }));

app.get("/search", (req, res) => {
  // Broken: a limit past the documented range crashes the handler.
  if (BROKEN && Number(req.query.limit) > 50) throw new Error("limit out of range");
  res.json(["first", "second"].slice(0, Number(req.query.limit) || 2));
});

app.post("/uploads", (req, res) => {
  const file = (req.files || []).find((f) => f.fieldname === "file");
  const tags = req.body.tags === undefined ? [] : [].concat(req.body.tags);
  res.json({ filename: file ? file.originalname : "", size: file ? file.size : 0, tags });
});

app.post("/pets", (req, res) => res.json(req.body));

app.put("/profile", (req, res) => {
  const { nickname, age } = req.body;
  res.json(age === undefined ? { nickname } : { nickname, age: Number(age) });
});

app.get("/admin/stats", (req, res) => res.json({ things: 1 }));

// Validator and handler errors, as the spec's Problem.
app.use((err, req, res, _next) => {
  const status = err.status || 500;
  if (status >= 500) console.error(err);
  // express-openapi-validator puts the Allow header of a 405 here.
  if (err.headers) res.set(err.headers);
  res.status(status).json({ message: status >= 500 ? "internal error" : err.message });
});

const server = app.listen(0, "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
