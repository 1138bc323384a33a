//! Value reuse, as planned: which answers give ids to which reads. A create's links and a
//! list's links to a GET become [`Feed`]s; every GET with path parameters keeps its valid
//! base request, for the values to fill (a `Location` answered at run time may name any of
//! them). The runner collects the values as the plan is sent and sends the reads after it.

use super::links::Link;
use crate::openapi::Operation;
use crate::plan::{Feed, RequestSpec, Reuse};

/// The value reuse of `links` (creates') and `listed` (lists') between `ops`; `bases`
/// holds each operation's valid base request (`None`: it has none, so it reads nothing).
pub fn reuse(
    ops: &[Operation],
    links: &[Link],
    listed: &[Link],
    bases: &[Option<RequestSpec>],
) -> Reuse {
    let mut out = Reuse::default();
    for (i, op) in ops.iter().enumerate() {
        if let (true, Some(base)) = (is_read(op), &bases[i]) {
            out.reads.insert(i, base.clone());
        }
    }
    for link in links.iter().chain(listed) {
        if !out.reads.contains_key(&link.consumer) {
            continue;
        }
        let values: Vec<_> =
            link.bindings.iter().map(|b| (b.from.clone(), b.location, b.name.clone())).collect();
        let feeds = out.feeds.entry(link.producer).or_default();
        if !feeds.iter().any(|f| f.read == link.consumer && f.values == values) {
            feeds.push(Feed { read: link.consumer, values });
        }
    }
    out
}

/// Whether `op` reads one resource: a GET with a path parameter (only reads take a real id
/// from elsewhere: a write could change a resource a chain is judging).
fn is_read(op: &Operation) -> bool {
    op.method == "GET" && op.path.vars().next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    post:
      operationId: createThing
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        "201": {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getThing
      responses: {"200": {description: ok}}
    delete:
      operationId: deleteThing
      responses: {"204": {description: gone}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
"#;

    #[test]
    fn creates_and_lists_feed_reads_and_no_write_is_fed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, SPEC).unwrap();
        let spec = crate::openapi::load(&path).unwrap();
        let ops = crate::openapi::operations(&spec).unwrap();
        let doc = spec.response_doc();
        let links = crate::generate::links::links(doc, &ops);
        let listed = crate::generate::links::listed(doc, &ops);
        let base = |op: &Operation| crate::plan::RequestSpec {
            path: op.path.as_str().to_owned(),
            query: vec![],
            headers: vec![],
            cookies: vec![],
            body: None,
            auth: crate::plan::AuthMode::Valid,
            secrets: vec![],
            method: None,
        };
        let bases: Vec<_> = ops.iter().map(|o| Some(base(o))).collect();
        let reuse = reuse(&ops, &links, &listed, &bases);
        let index = |id: &str| ops.iter().position(|o| o.id == id).unwrap();
        let (list, create, read) = (index("listThings"), index("createThing"), index("getThing"));
        assert_eq!(reuse.reads.keys().copied().collect::<Vec<_>>(), vec![read]);
        let fed = |p: usize| -> Vec<String> {
            reuse
                .feeds
                .get(&p)
                .into_iter()
                .flatten()
                .flat_map(|f| &f.values)
                .map(|v| match &v.0 {
                    crate::plan::CaptureFrom::Body(pointer) => pointer.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        };
        assert_eq!(fed(create), vec!["/id"]);
        assert_eq!(fed(list), vec!["/data/0/id", "/data/1/id", "/data/2/id"]);
        // The delete is linked too, but no feed goes to a write.
        assert!(reuse.feeds.values().flatten().all(|f| f.read == read));
    }
}
