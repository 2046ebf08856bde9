#include <doctest/doctest.h>
#include "certman/acme/payloads.hpp"

using namespace certman::acme;

TEST_CASE("new_account_payload") {
    struct row { const char* name; new_account_request req; const char* want; };
    const row rows[] = {
        {"contact and tos", {{"ops@example.org", "mailto:sec@example.org"}, true, false, {}},
         R"({"contact":["mailto:ops@example.org","mailto:sec@example.org"],"termsOfServiceAgreed":true})"},
        {"no contact", {{}, true, false, {}}, R"({"termsOfServiceAgreed":true})"},
        {"only existing", {{"ops@example.org"}, true, true, {}}, R"({"onlyReturnExisting":true})"},
        {"eab", {{}, true, false, std::string(R"({"protected":"eyJ","payload":"eyK","signature":"c2ln"})")},
         R"({"termsOfServiceAgreed":true,"externalAccountBinding":{"protected":"eyJ","payload":"eyK","signature":"c2ln"}})"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.name);
        const auto p = new_account_payload(r.req);
        REQUIRE(p.has_value());
        CHECK(*p == r.want);
    }
    const char* bad_emails[] = {"", "ops", "a@b,c@d", "a b@c", "a@b?subject=x", "mailto:"};
    for (const char* e : bad_emails) {
        CAPTURE(e);
        CHECK(new_account_payload({{e}, true, false, {}}).error() == certman::errc::invalid_argument);
    }
    CHECK(new_account_payload({{}, true, false, std::string("[1]")}).error() == certman::errc::invalid_argument);
    CHECK(new_account_payload({{}, true, false, std::string("{")}).error() == certman::errc::invalid_argument);
}

TEST_CASE("new_order_payload") {
    const std::vector<identifier> ids{identifier::dns("a.example.org"), identifier::ip("192.0.2.1")};
    CHECK(new_order_payload(ids) ==
          R"({"identifiers":[{"type":"dns","value":"a.example.org"},{"type":"ip","value":"192.0.2.1"}]})");
    CHECK(new_order_payload({identifier::dns("a")}, "shortlived", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE") ==
          R"({"identifiers":[{"type":"dns","value":"a"}],"profile":"shortlived","replaces":"aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"})");
    CHECK(new_order_payload({identifier::dns("a")}, std::nullopt, "X") ==
          R"({"identifiers":[{"type":"dns","value":"a"}],"replaces":"X"})");
}

TEST_CASE("finalize, challenge response, revoke") {
    CHECK(finalize_payload(std::string("\x30\x82\x01\xfb\xff", 5)) == R"({"csr":"MIIB-_8"})");
    CHECK(challenge_response_payload() == "{}");
    CHECK(post_as_get_payload.empty());
    CHECK(revoke_payload(std::string("\x30\x82", 2)).value() == R"({"certificate":"MII"})");
    CHECK(revoke_payload(std::string("\x30\x82", 2), 4).value() == R"({"certificate":"MII","reason":4})");
    for (int reason : {-1, 7, 11}) {
        CAPTURE(reason);
        CHECK(revoke_payload("x", reason).error() == certman::errc::invalid_argument);
    }
}
