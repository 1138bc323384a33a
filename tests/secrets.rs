//! Credentials never appear in console output, reports or `curl` lines, even when the server
//! echoes them back.

use base64::Engine;

use crate::support::seed_server::Fault;
use crate::support::{USER, gauntlet, run_seed};

#[test]
fn no_token_or_authorization_value_is_ever_shown() {
    let out = run_seed(Fault::EchoesCredentials, &["--max-examples", "40"]);
    let token = USER.split_once(':').unwrap().1;
    let b64 = base64::engine::general_purpose::STANDARD.encode(USER);
    // The server echoed credentials into bodies, so failures were reported with excerpts.
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.stdout.contains("body:"), "{}", out.all());
    let junit = out.junit.clone().unwrap();
    for text in [&out.stdout, &out.stderr, &junit] {
        assert!(!text.contains(token), "token leaked: {}", out.all());
        assert!(!text.contains(&b64), "Authorization value leaked: {}", out.all());
    }
    assert!(out.stdout.contains("-u \"$GAUNTLET_USER\""), "{}", out.all());
    let dry = gauntlet(&["run", "--dry-run", "--user", USER]);
    assert!(!dry.stdout.contains(token) && !dry.stdout.contains(&b64), "{}", dry.all());
}
