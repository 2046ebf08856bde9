#include "certman/app/import_check.hpp"
#include <doctest/doctest.h>
#include "../crypto/fixture_file.hpp"
#include "certman/crypto/certificate.hpp"

using namespace certman;
using app::check_import;
using test::fixture_file;

namespace {
// Fixtures (tests/fixtures/import/, made with openssl): root → inter → leaf (EC P-256, SANs a.example.test,
// *.a.example.test, extra.example.test); leaf-rsa the same names with an RSA 2048 key; inter-wrong has
// inter's name but another key, signed by other-root (the leaf's signature fails: a broken chain); other.key belongs to nothing.
std::string f(const char* name) { return fixture_file(std::string("import/") + name); }

app::certificate_config www() {
    app::certificate_config c;
    c.name = "www";
    c.domains = {"a.example.test", "www.a.example.test"};
    c.key_type = "ec256";
    return c;
}

std::chrono::sys_seconds valid_now() {
    return crypto::inspect_certificate(f("leaf.pem")).value().not_before + std::chrono::hours(24);
}

app::import_files good() { return {f("leaf.pem"), f("leaf.key"), f("inter.pem") + f("root.pem")}; }
}  // namespace

TEST_CASE("import: a matching key, covering names and a chain to its own root are accepted") {
    auto r = check_import(good(), www(), "", valid_now());
    REQUIRE_MESSAGE(r.bundle.has_value(), r.error);
    CHECK(r.trust.find("its own root") != std::string::npos);
    CHECK(r.trust.find("Import Test Root") != std::string::npos);
    CHECK(r.bundle->names == www().domains);  // the policy then sees no change of names
    CHECK(r.bundle->key_type == "ec256");
    CHECK(r.bundle->directory_url.empty());  // unknown: the directory-switch rule never fires (import_check.hpp)
    CHECK(r.bundle->serial == "0a");
    CHECK(r.bundle->chain_pem == f("inter.pem") + f("root.pem"));
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].find("extra.example.test") != std::string::npos);
}

TEST_CASE("import: the chain verifies to [acme] trusted_ca without the root in the chain") {
    auto files = good();
    files.chain_pem = f("inter.pem");
    auto r = check_import(files, www(), f("root.pem"), valid_now());
    REQUIRE_MESSAGE(r.bundle.has_value(), r.error);
    CHECK(r.trust.find("trusted root") != std::string::npos);
    SUBCASE("without it, refused with what to do") {
        auto refused = check_import(files, www(), "", valid_now());
        CHECK(!refused.bundle);
        CHECK(refused.error.find("does not verify") != std::string::npos);
        CHECK(refused.error.find("trusted_ca") != std::string::npos);
    }
}

TEST_CASE("import: the chain may ride in the certificate file (fullchain.pem)") {
    auto r = check_import({f("leaf.pem") + f("inter.pem") + f("root.pem"), f("leaf.key"), ""}, www(), "", valid_now());
    REQUIRE_MESSAGE(r.bundle.has_value(), r.error);
    CHECK(r.bundle->certificate_pem == f("leaf.pem"));
}

TEST_CASE("import: refusals say what is wrong and what to do") {
    auto files = good();
    auto cert = www();
    auto now = valid_now();
    std::string expect;
    SUBCASE("mismatched key") {
        files.private_key_pem = f("other.key");
        expect = "does not belong to the certificate";
    }
    SUBCASE("not a key") {
        files.private_key_pem = f("leaf.pem");
        expect = "no unencrypted PEM private key";
    }
    SUBCASE("names not covered") {
        cert.domains = {"a.example.test", "b.example.test"};
        expect = "does not cover b.example.test";
    }
    SUBCASE("a wildcard SAN covers one label only") {
        cert.domains = {"x.y.a.example.test"};
        expect = "does not cover x.y.a.example.test";
    }
    SUBCASE("broken chain: an intermediate with the right name and the wrong key") {
        files.chain_pem = f("inter-wrong.pem") + f("other-root.pem");
        expect = "does not verify";
    }
    SUBCASE("missing intermediate") {
        files.chain_pem = f("root.pem");
        expect = "does not verify";
    }
    SUBCASE("expired") {
        now = crypto::inspect_certificate(f("leaf.pem")).value().not_after;
        expect = "expired";
    }
    SUBCASE("key type differs from the configuration") {
        files = {f("leaf-rsa.pem"), f("leaf-rsa.key"), f("inter.pem") + f("root.pem")};
        expect = "set key_type = \"rsa2048\"";
    }
    SUBCASE("no certificate") {
        files.certificate_pem = "nothing";
        expect = "no PEM certificate";
    }
    CAPTURE(expect);
    auto r = check_import(files, cert, "", now);
    CHECK(!r.bundle);
    CHECK(r.error.find(expect) != std::string::npos);
    CHECK(r.error.find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("san_covers") {
    CHECK(app::san_covers("A.example.test", "a.EXAMPLE.test"));
    CHECK(app::san_covers("*.example.test", "www.example.test"));
    CHECK(!app::san_covers("*.example.test", "example.test"));
    CHECK(!app::san_covers("*.example.test", "a.b.example.test"));
    CHECK(app::san_covers("*.example.test", "*.example.test"));
    CHECK(!app::san_covers("www.example.test", "*.example.test"));
}
