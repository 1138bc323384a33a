//! Reading an OpenAPI 3.0 or 3.1 (or Swagger 2.0) document and turning it into an operation model.
//!
//! The document is kept whole as a `serde_json::Value` (3.0 schemas normalised to JSON Schema
//! 2020-12 once, at load) so that every schema can later be compiled against the whole
//! document; the model refers to schemas by JSON pointer into it.

mod build;
mod external;
mod lines;
mod load;
mod model;
mod normalize;
mod path;
mod pointer;
mod swagger2;
mod views;

pub use build::{operations, token_url};
pub use lines::{SourceLocation, locate};
pub use load::{Spec, Version, load, load_within, parse_yaml, yaml_error};
pub use model::{
    ApiKeyLocation, Location, MediaType, Operation, Parameter, RequestBody, Response,
    ResponseHeader, SchemaRef, SecurityScheme, StatusKey,
};
pub use path::PathTemplate;
pub use pointer::{escape, ref_to_pointer, resolve_pointer, resolve_ref, unescape};
