#include "certman/app/import_certbot.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>
#include "../jose/rfc_vectors.hpp"
#include "certman/jose/jwk.hpp"

using namespace certman;
namespace fs = std::filesystem;

namespace {
// A certbot account directory as certbot 2.x writes it: accounts/<host:port>/<path>/<id>/.
struct certbot_dir {
    fs::path base, account;
    explicit certbot_dir(const std::string& server_path) {
        std::string tmpl = (fs::temp_directory_path() / "certman-certbot-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        base = tmpl;
        account = base / "accounts" / server_path / "0123abcd";
        fs::create_directories(account);
        std::ofstream(account / "private_key.json") << boost::json::serialize(test::rfc_vector("a2").at("jwk"));
        std::ofstream(account / "regr.json") << R"({"body": {}, "uri": "https://127.0.0.1:14000/my-account/1"})";
        std::ofstream(account / "meta.json") << R"({"creation_dt": "2026-01-01T00:00:00Z", "creation_host": "h"})";
    }
    ~certbot_dir() { std::error_code ec; fs::remove_all(base, ec); }
};
}  // namespace

TEST_CASE("certbot account: JWK key and regr.json uri, directory matched by path") {
    certbot_dir d("127.0.0.1:14000/dir");
    auto a = app::read_certbot_account(d.account.string() + "/", "https://127.0.0.1:14000/dir");
    REQUIRE_MESSAGE(a.has_value(), (a ? std::string() : a.error().message()));
    CHECK(a->account_url == "https://127.0.0.1:14000/my-account/1");
    CHECK(jose::public_jwk(a->key) == test::public_members(test::rfc_vector("a2").at("jwk").as_object()));
}

TEST_CASE("certbot account: another directory, a missing file, not a JWK") {
    certbot_dir d("acme-staging-v02.api.letsencrypt.org/directory");
    const auto error_of = [](const std::string& dir, const std::string& directory_url) {
        auto a = app::read_certbot_account(dir, directory_url);
        REQUIRE_FALSE(a.has_value());
        return a.error().message();
    };
    SUBCASE("another directory") {
        const auto error = error_of(d.account.string(), "https://acme-v02.api.letsencrypt.org/directory");
        CHECK(error.find("https://acme-staging-v02.api.letsencrypt.org/directory") != std::string::npos);
        CHECK(error.find("accounts/acme-v02.api.letsencrypt.org/directory/") != std::string::npos);
    }
    SUBCASE("no regr.json") {
        fs::remove(d.account / "regr.json");
        const auto error = error_of(d.account.string(), "https://acme-staging-v02.api.letsencrypt.org/directory");
        CHECK(error.find("regr.json") != std::string::npos);
    }
    SUBCASE("not a JWK") {
        std::ofstream(d.account / "private_key.json") << "-----BEGIN PRIVATE KEY-----";
        const auto error = error_of(d.account.string(), "https://acme-staging-v02.api.letsencrypt.org/directory");
        CHECK(error.find("not a JWK") != std::string::npos);
        CHECK(error.find("BEGIN") == std::string::npos);
    }
}

TEST_CASE("certbot_server_path") {
    CHECK(app::certbot_server_path("https://acme-v02.api.letsencrypt.org/directory") == "acme-v02.api.letsencrypt.org/directory");
    CHECK(app::certbot_server_path("https://127.0.0.1:14000/dir") == "127.0.0.1:14000/dir");
}
