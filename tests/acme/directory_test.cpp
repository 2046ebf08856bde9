#include <doctest/doctest.h>
#include "certman/acme/account.hpp"
#include "certman/acme/directory.hpp"
#include "fixture.hpp"

using namespace certman::acme;
using certman::acme::test::fixture;

TEST_CASE("parse_directory: Pebble 2.4 (no ARI, no profiles)") {
    const auto d = parse_directory(fixture("directory_pebble.json"));
    REQUIRE(d.has_value());
    CHECK(d->new_nonce == "https://127.0.0.1:14000/nonce-plz");
    CHECK(d->new_account == "https://127.0.0.1:14000/sign-me-up");
    CHECK(d->new_order == "https://127.0.0.1:14000/order-plz");
    CHECK(d->revoke_cert == "https://127.0.0.1:14000/revoke-cert");
    CHECK(d->key_change == "https://127.0.0.1:14000/rollover-account-key");
    CHECK_FALSE(d->renewal_info);
    CHECK(d->meta.terms_of_service == "data:text/plain,Do%20what%20thou%20wilt");
    CHECK_FALSE(d->meta.external_account_required);
    CHECK(d->meta.profiles.empty());
    CHECK_FALSE(offers_profile(*d, "shortlived"));
}

TEST_CASE("parse_directory: Let's Encrypt shape with renewalInfo and profiles") {
    const auto d = parse_directory(fixture("directory_ari_profiles.json"));
    REQUIRE(d.has_value());
    CHECK(d->renewal_info == "https://acme-v02.api.letsencrypt.org/acme/renewal-info");
    CHECK(d->meta.profiles.size() == 3);
    CHECK(offers_profile(*d, "shortlived"));
    CHECK_FALSE(offers_profile(*d, "short"));
    CHECK(d->meta.caa_identities == std::vector<std::string>{"letsencrypt.org"});
    CHECK(d->meta.website == "https://letsencrypt.org");
}

TEST_CASE("parse_directory: errors name the field") {
    struct row { const char* json; const char* why; };
    const row rows[] = {
        {"not json", "directory is not valid JSON"},
        {"[]", "directory is not a JSON object"},
        {R"({"newAccount":"a","newOrder":"o","revokeCert":"r","keyChange":"k"})",
         "directory: field \"newNonce\" is missing"},
        {R"({"newNonce":1,"newAccount":"a","newOrder":"o","revokeCert":"r","keyChange":"k"})",
         "directory: field \"newNonce\" is not a string"},
        {R"({"newNonce":"n","newAccount":"a","newOrder":"o","revokeCert":"r","keyChange":"k","meta":[]})",
         "directory: field \"meta\" is not an object"},
        {R"({"newNonce":"n","newAccount":"a","newOrder":"o","revokeCert":"r","keyChange":"k",
             "meta":{"externalAccountRequired":"yes"}})",
         "directory meta: field \"externalAccountRequired\" is not a boolean"},
        {R"({"newNonce":"n","newAccount":"a","newOrder":"o","revokeCert":"r","keyChange":"k",
             "meta":{"profiles":{"classic":1}}})",
         "directory meta: field \"profiles\" has a non-string description"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.json);
        const auto d = parse_directory(r.json);
        REQUIRE(d.has_error());
        CHECK(d.error() == certman::errc::parse_error);
        CHECK(d.error().message().starts_with(r.why));
    }
}

TEST_CASE("parse_account") {
    const auto a = parse_account(fixture("account_valid.json"));
    REQUIRE(a.has_value());
    CHECK(a->status == status::valid);
    CHECK(a->contact == std::vector<std::string>{"mailto:ops@example.org"});
    CHECK(a->orders == "https://127.0.0.1:14000/list-orderz/1");
    CHECK_FALSE(a->terms_of_service_agreed);
    const auto sleeping = parse_account(R"({"status":"sleeping"})");
    REQUIRE(sleeping.has_error());
    CHECK(sleeping.error().message() == "account: field \"status\" has unknown value \"sleeping\"");
    const auto contact = parse_account(R"({"status":"valid","contact":"mailto:x@y"})");
    REQUIRE(contact.has_error());
    CHECK(contact.error().message() == "account: field \"contact\" is not an array");
}
