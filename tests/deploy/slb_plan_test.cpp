// Pure decisions of the SLB deployer: fingerprints, upload names, reuse and cleanup.
#include "certman/deploy/slb_plan.hpp"

#include <doctest/doctest.h>
#include <cstdio>

#include "certman/core/rfc3339.hpp"

using namespace certman;
using namespace certman::deploy;
using certman::cloud::alibaba::server_certificate;

namespace {
const leaf_fingerprints leaf{"cd901b7b494d1d90f601de9a817d31a7381d848d",
                             "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"};

server_certificate cert(std::string id, std::string name, std::string fp, std::int64_t created) {
    server_certificate c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.fingerprint = std::move(fp);
    c.create_ms = created;
    return c;
}
}  // namespace

TEST_CASE("fingerprint_matches normalizes case and colons, accepts SHA-1 or SHA-256 length") {
    struct row {
        const char* fp;
        bool match;
    };
    const row rows[] = {
        {"cd:90:1b:7b:49:4d:1d:90:f6:01:de:9a:81:7d:31:a7:38:1d:84:8d", true},
        {"CD:90:1B:7B:49:4D:1D:90:F6:01:DE:9A:81:7D:31:A7:38:1D:84:8D", true},
        {"cd901b7b494d1d90f601de9a817d31a7381d848d", true},
        {"0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9", true},
        {"cd:90:1b:7b:49:4d:1d:90:f6:01:de:9a:81:7d:31:a7:38:1d:84:8e", false},  // last digit differs
        {"cd:90:1b:7b", false},                                                // truncated
        {"", false},
        // the SHA-1 digits compared as if SHA-256 (wrong length for it) never match
        {"cd901b7b494d1d90f601de9a817d31a7381d848dcd901b7b494d1d90f601de9a", false},
    };
    for (const auto& r : rows) {
        CAPTURE(r.fp);
        CHECK(fingerprint_matches(r.fp, leaf) == r.match);
    }
}

TEST_CASE("slb_certificate_name and is_upload_of") {
    const auto na = *certman::parse_rfc3339("2025-04-01T12:00:00Z");
    CHECK(slb_certificate_name("www", na, "0a1b2c3d4e5f") == "certman-www-20250401-0a1b2c3d");
    CHECK(slb_certificate_name("a b/c", na, "ff") == "certman-a-b-c-20250401-ff");
    CHECK(slb_certificate_name("www", na, "") == "certman-www-20250401-0");
    const auto long_name = slb_certificate_name(std::string(200, 'x'), na, "0a1b2c3d4e5f");
    CHECK(long_name.size() == 80);
    CHECK(is_upload_of(long_name, std::string(200, 'x')));

    struct row {
        const char* uploaded;
        const char* certificate;
        bool ours;
    };
    const row rows[] = {
        {"certman-www-20250401-0a1b2c3d", "www", true},
        {"certman-www-20250401-ff", "www", true},
        {"certman-www-2-20250401-0a1b2c3d", "www", false},  // belongs to "www-2"
        {"certman-www-2-20250401-0a1b2c3d", "www-2", true},
        {"certman-www-2025040-0a1b2c3d", "www", false},
        {"certman-www-20250401-", "www", false},
        {"certman-www-20250401-xyz", "www", false},
        {"bootstrap", "www", false},
        {"CERTMAN-www-20250401-0a1b2c3d", "www", false},
    };
    for (const auto& r : rows) {
        CAPTURE(r.uploaded);
        CAPTURE(r.certificate);
        CHECK(is_upload_of(r.uploaded, r.certificate) == r.ours);
    }
}

TEST_CASE("find_reusable prefers certman's own upload") {
    const std::string fp = "cd:90:1b:7b:49:4d:1d:90:f6:01:de:9a:81:7d:31:a7:38:1d:84:8d";
    std::vector<server_certificate> all{cert("1", "manual", fp, 1), cert("2", "certman-www-20250401-ab", fp, 2),
                                        cert("3", "certman-www-20250301-ab", "00:11", 3)};
    REQUIRE(find_reusable(all, leaf, "www"));
    CHECK(find_reusable(all, leaf, "www")->id == "2");
    CHECK(find_reusable(all, leaf, "api")->id == "1");  // any certificate with our fingerprint will do
    all.erase(all.begin(), all.begin() + 2);
    CHECK(find_reusable(all, leaf, "www") == nullptr);
}

TEST_CASE("certificates_to_delete keeps current, in-use and the keep_previous newest") {
    std::vector<server_certificate> all{
        cert("boot", "bootstrap", "aa", 0),
        cert("a", "certman-www-20250101-01", "aa", 100),
        cert("b", "certman-www-20250201-02", "aa", 200),
        cert("c", "certman-www-20250301-03", "aa", 300),
        cert("d", "certman-www-20250401-04", "aa", 400),  // current
        cert("x", "certman-api-20250101-05", "aa", 50),   // another certificate's upload
    };
    struct row {
        int keep;
        std::set<std::string> in_use;
        std::vector<std::string> deleted;
    };
    const row rows[] = {
        {0, {}, {"c", "b", "a"}},
        {1, {}, {"b", "a"}},
        {2, {}, {"a"}},
        {3, {}, {}},
        {1, {"a"}, {"b"}},
        {0, {"b"}, {"c", "a"}},
    };
    for (const auto& r : rows) {
        CAPTURE(r.keep);
        CHECK(certificates_to_delete(all, "www", "d", r.in_use, r.keep) == r.deleted);
    }
}

TEST_CASE("certificates_to_delete returns at most max_deletions_per_deploy, the newest first") {
    for (const std::size_t superseded : {max_deletions_per_deploy, max_deletions_per_deploy + 1, std::size_t{500}}) {
        CAPTURE(superseded);
        std::vector<server_certificate> all{cert("cur", "certman-www-20260101-ff", "aa", 1'000'000)};
        for (std::size_t i = 0; i < superseded; ++i) {
            char name[64];
            std::snprintf(name, sizeof name, "certman-www-20250101-%02zx", i % 256);
            all.push_back(cert("old" + std::to_string(i), name, "aa", static_cast<std::int64_t>(i)));
        }
        const auto doomed = certificates_to_delete(all, "www", "cur", {}, 0);
        REQUIRE(doomed.size() == max_deletions_per_deploy);
        CHECK(doomed.front() == "old" + std::to_string(superseded - 1));  // the newest superseded one
        CHECK(doomed.back() == "old" + std::to_string(superseded - max_deletions_per_deploy));
    }
}
