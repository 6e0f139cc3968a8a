//! The check against a URL presigned by `examples/clients/python/sigv4.py` (itself tested
//! against AWS's published vector and botocore): same credentials, time and URL.

use super::check;

const QUERY: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261128%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date=20261128T120000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=d8e706d51095a99c312e5e3c34106c6f118efd7f66686754d4953f63cd3291b0";
const SECRET: (&str, &str) = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

fn host(name: &str) -> Option<String> {
    (name == "host").then(|| "127.0.0.1:3000".to_owned())
}

#[test]
fn a_presigned_url_passes_with_and_without_the_secret() {
    assert_eq!(
        check(QUERY, &host, "/v1", "us-east-1", Some(SECRET)),
        Ok(())
    );
    assert_eq!(check(QUERY, &host, "/v1", "us-east-1", None), Ok(()));
}

#[test]
fn tampering_fails() {
    let other_path = check(QUERY, &host, "/v2", "us-east-1", Some(SECRET));
    assert!(other_path
        .unwrap_err()
        .message
        .contains("signature we calculated"));
    let other_host = |n: &str| (n == "host").then(|| "localhost:3000".to_owned());
    assert!(check(QUERY, &other_host, "/v1", "us-east-1", Some(SECRET)).is_err());
    let wrong_secret = ("AKIDEXAMPLE", "nope");
    assert!(check(QUERY, &host, "/v1", "us-east-1", Some(wrong_secret)).is_err());
    let other_key = ("AKIDOTHER", SECRET.1);
    assert!(check(QUERY, &host, "/v1", "us-east-1", Some(other_key))
        .unwrap_err()
        .message
        .contains("security token"));
}

#[test]
fn malformed_signatures_fail_on_form() {
    let none = |_: &str| None;
    let unsigned = check("", &none, "/v1", "us-east-1", None).unwrap_err();
    assert_eq!(
        (unsigned.message, unsigned.detail),
        ("Forbidden", super::UNSIGNED)
    );
    assert!(check(QUERY, &host, "/v1", "eu-west-1", None)
        .unwrap_err()
        .message
        .contains("region"));
    let s3 = QUERY.replace("execute-api", "s3");
    assert!(check(&s3, &host, "/v1", "us-east-1", None)
        .unwrap_err()
        .message
        .contains("execute-api"));
    let short = QUERY.replace("d8e706d5", "");
    assert!(check(&short, &host, "/v1", "us-east-1", None).is_err());
    let no_host = QUERY.replace("SignedHeaders=host", "SignedHeaders=x-amz-date");
    assert!(check(&no_host, &host, "/v1", "us-east-1", None).is_err());
    let header = |n: &str| {
        match n {
        "authorization" => Some("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=".to_owned() + &"a".repeat(64)),
        "x-amz-date" => Some("20261128T120000Z".to_owned()),
        "host" => Some("127.0.0.1:3000".to_owned()),
        _ => None,
    }
    };
    assert_eq!(check("", &header, "/v1", "us-east-1", None), Ok(()));
    assert!(
        check("", &header, "/v1", "us-east-1", Some(SECRET)).is_err(),
        "a made-up signature"
    );
}
