//! [`Rule`]: the typed name of one way a value is invalid, and the bad values shared by every
//! view.

/// Text no enum in a real spec holds.
pub const NOT_IN_ENUM: &str = "gauntlet-not-in-enum";
/// Text no `const` in a real spec holds.
pub const NOT_CONST: &str = "gauntlet-not-const";

/// One way a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A required parameter or body left out.
    Missing,
    /// A value of a type the schema does not allow.
    WrongType,
    /// `null` where the schema does not allow it.
    NullNotAllowed,
    /// A value outside `enum`.
    NotInEnum,
    /// A value other than `const`.
    NotConst,
    /// One below `minimum`.
    BelowMinimum,
    /// One above `maximum`.
    AboveMaximum,
    /// Exactly `exclusiveMinimum`.
    AtExclusiveMinimum,
    /// Exactly `exclusiveMaximum`.
    AtExclusiveMaximum,
    /// Not a multiple of `multipleOf`.
    NotMultipleOf,
    /// A fraction where an integer is wanted.
    Fractional,
    /// A number past every integer type.
    Overflow,
    /// An empty text.
    Empty,
    /// One character under `minLength`.
    TooShort,
    /// One character over `maxLength`.
    TooLong,
    /// A text `pattern` rejects.
    PatternMismatch,
    /// The empty text, which `pattern` rejects.
    PatternMismatchEmpty,
    /// A malformed value for the schema's `format` (in a body).
    BadFormat,
    /// A malformed value of this `format` (in a parameter, labelled by the format).
    BadFormatOf(&'static str),
    /// One item under `minItems`.
    TooFewItems,
    /// One item over `maxItems`.
    TooManyItems,
    /// A repeated item under `uniqueItems`.
    DuplicateItems,
    /// A required property left out.
    MissingRequiredProperty(String),
    /// A property `additionalProperties: false` forbids.
    ExtraProperty,
    /// A property whose name `propertyNames` rejects.
    BadPropertyName,
    /// A malformed UUID of one kind.
    Uuid(UuidBreak),
    /// A rule broken inside one property of an object.
    Property(String, Box<Rule>),
}

impl Rule {
    /// The label scenarios carry: stable, as baselines name them.
    pub fn label(&self) -> String {
        let plain = match self {
            Rule::Missing => "missing",
            Rule::WrongType => "wrong-type",
            Rule::NullNotAllowed => "null-not-allowed",
            Rule::NotInEnum => "not-in-enum",
            Rule::NotConst => "not-const",
            Rule::BelowMinimum => "below-minimum",
            Rule::AboveMaximum => "above-maximum",
            Rule::AtExclusiveMinimum => "at-exclusive-minimum",
            Rule::AtExclusiveMaximum => "at-exclusive-maximum",
            Rule::NotMultipleOf => "not-multiple-of",
            Rule::Fractional => "fractional",
            Rule::Overflow => "overflow",
            Rule::Empty => "empty",
            Rule::TooShort => "too-short",
            Rule::TooLong => "too-long",
            Rule::PatternMismatch => "pattern-mismatch",
            Rule::PatternMismatchEmpty => "pattern-mismatch-empty",
            Rule::BadFormat => "bad-format",
            Rule::TooFewItems => "too-few-items",
            Rule::TooManyItems => "too-many-items",
            Rule::DuplicateItems => "duplicate-items",
            Rule::ExtraProperty => "extra-property",
            Rule::BadPropertyName => "bad-property-name",
            Rule::Uuid(kind) => kind.label(),
            Rule::BadFormatOf(format) => return format!("bad-{format}"),
            Rule::MissingRequiredProperty(name) => {
                return format!("missing-required-property:{name}");
            }
            Rule::Property(name, rule) => return format!("{name}.{}", rule.label()),
        };
        plain.to_owned()
    }
}

/// The malformed UUIDs real servers meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UuidBreak {
    /// No text at all.
    Empty,
    /// One character short.
    TooShort,
    /// One character long.
    TooLong,
    /// A group one digit short.
    ShortGroup,
    /// A hyphen one place off.
    HyphenMisplaced,
    /// A `g`.
    NonHexCharacter,
    /// The 32 digits alone.
    NoHyphens,
    /// `_` for `-`.
    UnderscoreSeparators,
    /// ` ` for `-`.
    SpaceSeparators,
    /// `{…}`.
    Braces,
    /// `urn:uuid:…`.
    UrnUuid,
    /// A space before.
    LeadingSpace,
    /// A space after.
    TrailingSpace,
    /// A new line after.
    TrailingNewline,
    /// The UUID 64 times.
    VeryLong,
    /// An `é` for a hyphen.
    NonAscii,
    /// An emoji at the end.
    Emoji,
    /// A NUL inside.
    EmbeddedNul,
    /// A `/` inside.
    PercentEncodedSlash,
    /// `?#&=` after.
    ReservedCharacters,
    /// `../../` before.
    PathTraversal,
    /// `..` alone.
    DotSegment,
    /// A number.
    Integer,
    /// SQL after.
    SqlInjection,
}

impl UuidBreak {
    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            UuidBreak::Empty => "empty",
            UuidBreak::TooShort => "too-short",
            UuidBreak::TooLong => "too-long",
            UuidBreak::ShortGroup => "short-group",
            UuidBreak::HyphenMisplaced => "hyphen-misplaced",
            UuidBreak::NonHexCharacter => "non-hex-character",
            UuidBreak::NoHyphens => "no-hyphens",
            UuidBreak::UnderscoreSeparators => "underscore-separators",
            UuidBreak::SpaceSeparators => "space-separators",
            UuidBreak::Braces => "braces",
            UuidBreak::UrnUuid => "urn-uuid",
            UuidBreak::LeadingSpace => "leading-space",
            UuidBreak::TrailingSpace => "trailing-space",
            UuidBreak::TrailingNewline => "trailing-newline",
            UuidBreak::VeryLong => "very-long",
            UuidBreak::NonAscii => "non-ascii",
            UuidBreak::Emoji => "emoji",
            UuidBreak::EmbeddedNul => "embedded-nul",
            UuidBreak::PercentEncodedSlash => "percent-encoded-slash",
            UuidBreak::ReservedCharacters => "reserved-characters",
            UuidBreak::PathTraversal => "path-traversal",
            UuidBreak::DotSegment => "dot-segment",
            UuidBreak::Integer => "integer",
            UuidBreak::SqlInjection => "sql-injection",
        }
    }
}

/// A malformed value for a well-known format (`None` for a format gauntlet does not break).
pub fn bad_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa",
        "date-time" => "2024-13-45T25:61:00",
        "date" => "2024-02-30x",
        "time" => "25:61:00",
        "email" => "not-an-email",
        "ipv4" => "999.1.1.1",
        "ipv6" => "2001:db8:::1::",
        "uri" => "not a uri",
        "hostname" => "-bad-.host_name",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_ones_baselines_name() {
        let nested = Rule::Property("codecs".into(), Box::new(Rule::TooLong));
        assert_eq!(nested.label(), "codecs.too-long");
        assert_eq!(
            Rule::MissingRequiredProperty("id".into()).label(),
            "missing-required-property:id"
        );
        assert_eq!(Rule::BadFormatOf("date-time").label(), "bad-date-time");
        assert_eq!(Rule::Uuid(UuidBreak::UrnUuid).label(), "urn-uuid");
    }
}
