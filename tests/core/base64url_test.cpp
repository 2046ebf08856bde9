#include <doctest/doctest.h>
#include "certman/core/base64url.hpp"

using namespace certman;

TEST_CASE("base64url: RFC 4648 §10 vectors, without padding") {
    struct row { const char* in; const char* b64; const char* b64url; };
    const row rows[] = {
        {"", "", ""},
        {"f", "Zg==", "Zg"},
        {"fo", "Zm8=", "Zm8"},
        {"foo", "Zm9v", "Zm9v"},
        {"foob", "Zm9vYg==", "Zm9vYg"},
        {"fooba", "Zm9vYmE=", "Zm9vYmE"},
        {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(base64_encode(r.in) == r.b64);
        CHECK(base64url_encode(r.in) == r.b64url);
        CHECK(base64url_decode(r.b64url).value() == r.in);
        CHECK(base64_decode(r.b64).value() == r.in);
    }
}

TEST_CASE("base64url: the URL alphabet replaces + and /") {
    const std::string bytes("\xfb\xff\xbf", 3);
    CHECK(base64_encode(bytes) == "+/+/");
    CHECK(base64url_encode(bytes) == "-_-_");
    CHECK(base64url_decode("-_-_").value() == bytes);
    CHECK(base64url_decode("+/+/").has_error());
}

TEST_CASE("base64url: RFC 7515 A.1 header") {
    const std::string header = "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    CHECK(base64url_encode(header) == "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
}

TEST_CASE("base64url: bad input is an error, not garbage") {
    CHECK(base64url_decode("a").has_error());          // one char cannot hold a byte
    CHECK(base64url_decode("ab=c").has_error());       // data after padding
    CHECK(base64url_decode("ab c").has_error());       // space is not allowed in base64url
    CHECK(base64_decode("Zm9v\nYmFy").value() == "foobar");  // PEM line breaks are fine in base64
    CHECK(base64_decode("Zm9v*").has_error());
}

TEST_CASE("is_base64url_token") {
    CHECK(is_base64url_token("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"));
    CHECK(is_base64url_token("a-b_C9"));
    CHECK_FALSE(is_base64url_token(""));
    CHECK_FALSE(is_base64url_token(".."));
    CHECK_FALSE(is_base64url_token("a/b"));
    CHECK_FALSE(is_base64url_token("%2e%2e"));
    CHECK_FALSE(is_base64url_token("abc="));
}
