//! Durations as people type them: `2s`, `500ms`, `1m`, or a plain number of seconds (`1.5`).

use std::time::Duration;

/// Parses a duration; zero and negative values are refused.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let d = if let Ok(secs) = text.parse::<f64>() {
        if !secs.is_finite() || !(0.0..=1e9).contains(&secs) {
            return Err(format!("'{text}' is not a duration"));
        }
        Duration::from_secs_f64(secs)
    } else {
        humantime::parse_duration(text)
            .map_err(|e| format!("'{text}' is not a duration ({e}); try 2s, 500ms or 1.5"))?
    };
    if d.is_zero() {
        return Err("must be more than zero".into());
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_units_and_plain_seconds() {
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1").is_err());
    }
}
