//! Pinned parameters (`--param path.mesh=default`): a value sent as it is, in place of a
//! generated one, in every scenario but those that break that parameter, as many real APIs
//! need a fixed tenant, project or API version.

use crate::openapi::{Location, Parameter};

/// One pinned parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Where the parameter goes.
    pub location: Location,
    /// Its name (a header's in any case).
    pub name: String,
    /// The text sent, as it goes on the wire before encoding.
    pub value: String,
}

impl Pin {
    /// Parses `LOCATION.NAME=VALUE` (`path.mesh=default`, `header.X-Tenant=acme`).
    pub fn parse(text: &str) -> Result<Pin, String> {
        let head = crate::support::text::truncate(text.split('=').next().unwrap_or(""), 60);
        let shown = crate::support::text::escape_controls(&head).into_owned();
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| format!("'{shown}' is not LOCATION.NAME=VALUE (path.mesh=default)"))?;
        let (location, name) = key.split_once('.').ok_or_else(|| {
            format!("'{shown}' names no location: path, query, header or cookie (path.{shown})")
        })?;
        let location = Location::parse(location).ok_or_else(|| {
            format!("'{shown}': the location is one of path, query, header or cookie")
        })?;
        if name.is_empty() {
            return Err(format!("'{shown}' names no parameter"));
        }
        Ok(Pin { location, name: name.to_owned(), value: value.to_owned() })
    }

    /// `path.mesh`, as flags and labels name it.
    pub fn key(&self) -> String {
        format!("{}.{}", self.location.as_str(), self.name)
    }

    /// Whether this pin is for `param`.
    pub fn is_for(&self, param: &Parameter) -> bool {
        param.location == self.location
            && match self.location {
                Location::Header => param.name.eq_ignore_ascii_case(&self.name),
                _ => param.name == self.name,
            }
    }
}

/// The pin for `param`, if one is given.
pub fn pinned<'p>(pins: &'p [Pin], param: &Parameter) -> Option<&'p Pin> {
    pins.iter().find(|p| p.is_for(param))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_location_name_and_value() {
        let pin = Pin::parse("path.mesh=a=b").unwrap();
        assert_eq!(
            (pin.location, pin.name.as_str(), pin.value.as_str()),
            (Location::Path, "mesh", "a=b")
        );
        assert!(Pin::parse("mesh=default").unwrap_err().contains("names no location"));
        assert!(Pin::parse("body.x=1").unwrap_err().contains("path, query, header or cookie"));
        assert!(Pin::parse("path.mesh").unwrap_err().contains("LOCATION.NAME=VALUE"));
    }
}
