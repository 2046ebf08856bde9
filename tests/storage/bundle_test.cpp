#include "certman/storage/bundle.hpp"

#include <doctest/doctest.h>

using namespace certman::storage;
using namespace std::chrono;

namespace {
certificate_bundle sample() {
    certificate_bundle b;
    b.private_key_pem = "-----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\n";
    b.certificate_pem = "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----";
    b.chain_pem = "-----BEGIN CERTIFICATE-----\nISSUER\n-----END CERTIFICATE-----\n";
    b.names = {"example.com", "www.example.com"};
    b.key_type = "ec256";
    b.issuer_cn = "Pebble Intermediate CA \"x\"";
    b.serial = "0a1b2c";
    b.not_before = sys_days{2025y / January / 2} + 3h + 4min + 5s;
    b.not_after = sys_days{2025y / April / 2} + 3h + 4min + 5s;
    b.obtained_at = sys_days{2025y / January / 2} + 3h + 5min;
    b.order_url = "https://ca.example/order/1";
    b.certificate_url = "https://ca.example/cert/1";
    b.profile = "tlsserver";
    return b;
}
}  // namespace

TEST_CASE("bundle_from_json reads times in any RFC 3339 form, to the second") {
    // The writer always uses "YYYY-MM-DDTHH:MM:SSZ"; the reader is core's RFC 3339 parser, so a fraction or an
    // offset (a hand-edited file) is read as the same instant, the fraction dropped.
    struct row { const char* text; sys_seconds want; };
    const row rows[] = {
        {"2025-04-02T03:04:05Z", sys_days{2025y / April / 2} + 3h + 4min + 5s},
        {"2025-04-02T03:04:05.75Z", sys_days{2025y / April / 2} + 3h + 4min + 5s},
        {"2025-04-02T05:04:05+02:00", sys_days{2025y / April / 2} + 3h + 4min + 5s},
        {"1970-01-01T00:00:00Z", sys_seconds{}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.text);
        const auto b = bundle_from_json(std::string("{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\","
                                                    "\"chain_pem\":\"\",\"not_after\":\"") + r.text + "\"}");
        REQUIRE(b.has_value());
        CHECK(b->not_after == r.want);
    }
}

TEST_CASE("bundle JSON round trip keeps every field") {
    auto b = sample();
    auto text = to_json(b);
    auto back = bundle_from_json(text);
    REQUIRE(back.has_value());
    CHECK(*back == b);
    CHECK(text.find("\"not_after\":\"2025-04-02T03:04:05Z\"") != std::string::npos);
    CHECK(text.starts_with("{\"version\":1,"));
}

TEST_CASE("fullchain_pem joins leaf and chain with newlines") {
    auto b = sample();
    CHECK(b.fullchain_pem() ==
          "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n"
          "-----BEGIN CERTIFICATE-----\nISSUER\n-----END CERTIFICATE-----\n");
    b.chain_pem.clear();
    CHECK(b.fullchain_pem() == "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n");
}

TEST_CASE("bundle_from_json rejects garbled documents") {
    const char* bad[] = {
        "",
        "not json",
        "[]",
        "{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\"",  // truncated
        "{\"version\":2,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\"}",
        "{\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\"}",
        "{\"version\":1,\"certificate_pem\":\"c\",\"chain_pem\":\"\"}",
        "{\"version\":1,\"private_key_pem\":5,\"certificate_pem\":\"c\",\"chain_pem\":\"\"}",
        "{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\",\"names\":\"x\"}",
        "{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\",\"names\":[1]}",
        "{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\","
        "\"not_after\":\"tomorrow\"}",
        "{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\","
        "\"not_after\":\"2025-02-30T00:00:00Z\"}",
    };
    for (const char* text : bad) {
        CAPTURE(text);
        CHECK(bundle_from_json(text).error() == certman::errc::parse_error);
    }
    // Every truncation of a valid document is rejected too (what a torn write would look like).
    auto full = to_json(sample());
    for (std::size_t n = 0; n < full.size(); n += 7) {
        CAPTURE(n);
        CHECK_FALSE(bundle_from_json(std::string_view(full).substr(0, n)).has_value());
    }
}

TEST_CASE("bundle_from_json: optional members default, unknown members are ignored") {
    auto b = bundle_from_json(
        "{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\",\"future\":[1,2]}");
    REQUIRE(b.has_value());
    CHECK(b->private_key_pem == "k");
    CHECK(b->names.empty());
    CHECK(b->not_after == sys_seconds{});
}

TEST_CASE("bundle: the issuing ACME directory round-trips; a bundle without it reads as empty") {
    auto b = sample();
    b.directory_url = "https://acme-staging-v02.api.letsencrypt.org/directory";
    const auto text = to_json(b);
    CHECK(text.find("\"directory_url\":\"https://acme-staging-v02.api.letsencrypt.org/directory\"") !=
          std::string::npos);
    auto back = bundle_from_json(text);
    REQUIRE(back.has_value());
    CHECK(back->directory_url == b.directory_url);
    // Written before the field existed: empty, which the renewal policy takes to match (renewal.hpp rule 5).
    auto old = bundle_from_json("{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\",\"chain_pem\":\"\"}");
    REQUIRE(old.has_value());
    CHECK(old->directory_url.empty());
    CHECK_FALSE(bundle_from_json("{\"version\":1,\"private_key_pem\":\"k\",\"certificate_pem\":\"c\","
                                 "\"chain_pem\":\"\",\"directory_url\":7}").has_value());
}
