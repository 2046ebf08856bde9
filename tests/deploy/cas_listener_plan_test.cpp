// ALB/NLB deploy decisions: upload names, our upload, already deployed / reuse / upload, which older uploads go
// (include/certman/deploy/cas_listener_plan.hpp).
#include <doctest/doctest.h>

#include <cstdio>

#include "certman/deploy/cas_listener_plan.hpp"

using namespace certman::deploy;
using certman::cloud::alibaba::cas_certificate;
using namespace std::chrono;

namespace {
const sys_seconds not_after = sys_days{2025y / April / 1};
const std::string sha = "ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01";
}  // namespace

TEST_CASE("cas plan: upload names are CAS-safe, carry the date and the serial, and fit in 64 characters") {
    CHECK(cas_upload_name("certman", "www", not_after, "0A1B2C3D4E5F60718293") ==
          "certman_www_20250401_0a1b2c3d4e5f6071");
    CHECK(cas_upload_name("certman", "api.example-org", not_after, "ff") == "certman_api_example_org_20250401_ff");
    const auto longest = cas_upload_name("p123456789abcdef", std::string(80, 'n'), not_after, std::string(40, 'e'));
    CHECK(longest.size() == 64);
    CHECK(longest == "p123456789abcdef_" + std::string(21, 'n') + "_20250401_" + std::string(16, 'e'));
    CHECK(cas_upload_name("c", std::string(38, 'n'), not_after, std::string(16, 'e')).size() == 64);
    for (char c : cas_upload_name("certman", "a b/c*d", not_after, "1:2"))
        CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'));
}

TEST_CASE("cas plan: prefix validation at its bounds") {
    CHECK(valid_cas_prefix("certman"));
    CHECK(valid_cas_prefix("A_1"));
    CHECK(valid_cas_prefix(std::string(16, 'x')));
    CHECK_FALSE(valid_cas_prefix(std::string(17, 'x')));
    CHECK_FALSE(valid_cas_prefix(""));
    CHECK_FALSE(valid_cas_prefix("cert-man"));
}

TEST_CASE("cas plan: our upload is found by Sha2 (case, colons ignored) or by our name") {
    const std::vector<cas_certificate> uploads{{1, "other", "ff", "", ""},
                                               {2, "x", "AB:01:AB:01:AB:01:AB:01:AB:01:AB:01:AB:01:AB:01:AB:01:AB:01:"
                                                         "AB:01:AB:01:AB:01:AB:01:AB:01:AB:01", "", ""},
                                               {3, "certman_www_20250401_aa", "", "", ""}};
    REQUIRE(find_our_upload(uploads, sha, "nope") != nullptr);
    CHECK(find_our_upload(uploads, sha, "nope")->id == 2);
    CHECK(find_our_upload(uploads, "cd", "certman_www_20250401_aa")->id == 3);
    CHECK(find_our_upload(uploads, "cd", "nope") == nullptr);
    CHECK(find_our_upload(uploads, "", "") == nullptr);  // empty inputs match nothing
    CHECK(find_our_upload({{4, "", "", "", ""}}, "", "") == nullptr);
}

TEST_CASE("cas plan: already deployed, point, or upload") {
    const std::vector<cas_certificate> uploads{{10, "old", "00", "", ""}, {11, "ours", sha, "", ""}};
    SUBCASE("the listener's default certificate is our CAS certificate") {
        auto p = plan_cas_listener({"11-cn-hangzhou", "10-cn-hangzhou"}, uploads, sha, "n", "cn-hangzhou");
        CHECK(p.step == cas_listener_step::already_deployed);
        CHECK(p.cert_id == 11);
        CHECK(plan_cas_listener({"11"}, uploads, sha, "n", "cn-hangzhou").step == cas_listener_step::already_deployed);
    }
    SUBCASE("the listener serves an older certificate: point it at ours, no upload") {
        auto p = plan_cas_listener({"10-cn-hangzhou"}, uploads, sha, "n", "cn-hangzhou");
        CHECK(p.step == cas_listener_step::point_listener);
        CHECK(p.cert_id == 11);
        // ours only as an additional certificate: the default one decides
        CHECK(plan_cas_listener({"10-cn-hangzhou", "11-cn-hangzhou"}, uploads, sha, "n", "cn-hangzhou").step ==
              cas_listener_step::point_listener);
        CHECK(plan_cas_listener({}, uploads, sha, "n", "cn-hangzhou").step == cas_listener_step::point_listener);
        // the same id with another region's suffix is not ours
        CHECK(plan_cas_listener({"11-cn-beijing"}, uploads, sha, "n", "cn-hangzhou").step ==
              cas_listener_step::point_listener);
    }
    SUBCASE("a second copy of our leaf in CAS that the listener already serves: nothing to do") {
        const std::vector<cas_certificate> two{{11, "ours", sha, "", ""}, {12, "copy", sha, "", ""}};
        CHECK(plan_cas_listener({"12-cn-hangzhou"}, two, sha, "n", "cn-hangzhou").step ==
              cas_listener_step::already_deployed);
    }
    SUBCASE("CAS does not have our leaf: upload") {
        auto p = plan_cas_listener({"10-cn-hangzhou"}, {{10, "old", "00", "", ""}}, sha, "n", "cn-hangzhou");
        CHECK(p.step == cas_listener_step::upload_and_point);
        CHECK(p.cert_id == 0);
        CHECK(plan_cas_listener({}, {}, sha, "n", "cn-hangzhou").step == cas_listener_step::upload_and_point);
    }
}

TEST_CASE("cas plan: is_cas_upload_of recognizes exactly the names cas_upload_name makes") {
    CHECK(is_cas_upload_of("certman_www_20250401_0a1b2c3d4e5f6071", "certman", "www"));
    CHECK(is_cas_upload_of("certman_www_20250401_f", "certman", "www"));                  // a 1-digit serial
    CHECK(is_cas_upload_of("certman_api_example_org_20250401_ff", "certman", "api.example-org"));
    CHECK(is_cas_upload_of("certman_www_20240229_00", "certman", "www"));                 // a leap day
    // Names made for another certificate, prefix or shape are not ours.
    for (const char* other : {"certman_www2_20250401_0a1b", "certman_www_2_20250401_0a1b", "certman_ww_20250401_0a1b",
                              "prod_www_20250401_0a1b", "certman_www_20250401_0A1B", "certman_www_20250401_",
                              "certman_www_2025041_0a1b", "certman_www_20250431_0a1b", "certman_www_20251301_0a1b",
                              "certman_www_20250401_0a1b2c3d4e5f60718", "certman_www_20250401_0a1g",
                              "certman_www__20250401_0a1b", "Certman_www_20250401_0a1b", "certman_www_20250401",
                              "certman_www", "", "_20250401_0a1b", "terraform_bootstrap"}) {
        CAPTURE(other);
        CHECK_FALSE(is_cas_upload_of(other, "certman", "www"));
    }
    // A long certificate name is cut to what fits beside that serial, and only that cut is ours.
    const std::string long_name(60, 'n');
    const auto cut16 = cas_upload_name("certman", long_name, not_after, std::string(16, 'e'));
    const auto cut2 = cas_upload_name("certman", long_name, not_after, "ee");
    CHECK(cut16 == "certman_" + std::string(30, 'n') + "_20250401_" + std::string(16, 'e'));
    CHECK(cut2 == "certman_" + std::string(44, 'n') + "_20250401_ee");
    CHECK(is_cas_upload_of(cut16, "certman", long_name));
    CHECK(is_cas_upload_of(cut2, "certman", long_name));
    CHECK_FALSE(is_cas_upload_of("certman_" + std::string(30, 'n') + "_20250401_ee", "certman", long_name));
}

namespace {
// Our upload of "www" with date `d` (yyyymmdd) and CertId `id`; the serial is the id in hex.
cas_certificate ours(std::int64_t id, const char* d) {
    char serial[32];
    std::snprintf(serial, sizeof serial, "%llx", static_cast<unsigned long long>(id));
    return {id, std::string("certman_www_") + d + "_" + serial, "", "", ""};
}
const cas_certificate served{50, "certman_www_20250601_32", sha, "", ""};  // ours(50, "20250601") with our Sha2
}  // namespace

TEST_CASE("cas plan: cas_uploads_to_delete keeps the current, in-use, foreign and keep_previous newest") {
    const std::vector<cas_certificate> listing{
        ours(10, "20250101"), ours(20, "20250301"), ours(30, "20250401"), ours(40, "20250501"), served,
        {7, "terraform_bootstrap", "", "", ""}, {8, "certman_www2_20250101_8", "", "", ""},
        {9, "prod_www_20250101_9", "", "", ""}};
    using ids = std::vector<std::int64_t>;
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 0) == ids{40, 30, 20, 10});
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 1) == ids{30, 20, 10});
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 2) == ids{20, 10});
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 4) == ids{});
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 100) == ids{});
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, -1) == ids{40, 30, 20, 10});
    // What a listener still references is neither deleted nor counted among the kept.
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {40}, 1) == ids{20, 10});
    CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {10, 30}, 0) == ids{40, 20});
    // Another prefix sees none of them; another certificate none of www's.
    CHECK(cas_uploads_to_delete(listing, "prod", "www", served, {}, 0) == ids{9});
    CHECK(cas_uploads_to_delete(listing, "certman", "www2", served, {}, 0) == ids{8});
    CHECK(cas_uploads_to_delete({}, "certman", "www", served, {}, 0) == ids{});
}

TEST_CASE("cas plan: cas_uploads_to_delete orders by the name's date, then CertId; nothing newer than current") {
    using ids = std::vector<std::int64_t>;
    SUBCASE("equal dates: the larger CertId is the newer upload") {
        const std::vector<cas_certificate> listing{ours(12, "20250501"), ours(11, "20250501"), ours(13, "20250501"),
                                                   served};
        CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 0) == ids{13, 12, 11});
        CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 1) == ids{12, 11});
        const cas_certificate same_day{12, "certman_www_20250501_99", "", "", ""};  // current, dated like them
        CHECK(cas_uploads_to_delete(listing, "certman", "www", same_day, {}, 0) == ids{11});
    }
    SUBCASE("a later date wins over a larger CertId") {
        const std::vector<cas_certificate> listing{ours(45, "20250201"), ours(5, "20250501"), served};
        CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 1) == ids{45});
    }
    SUBCASE("uploads newer than the served one (a later date, or the same date and a larger id) are kept") {
        const std::vector<cas_certificate> listing{ours(60, "20250601"), ours(3, "20250701"), ours(4, "20250101"),
                                                   served};
        CHECK(cas_uploads_to_delete(listing, "certman", "www", served, {}, 0) == ids{4});
    }
    SUBCASE("the served leaf's other uploads (same Sha2 or its own name) and repeated ids are never deleted") {
        const std::vector<cas_certificate> listing{{51, "certman_www_20250401_ab", sha, "", ""},
                                                   {52, "certman_www_20250601_32", "", "", ""},
                                                   ours(20, "20250301"), ours(20, "20250301"), served};
        const cas_certificate current{60, "certman_www_20250601_32", sha, "", ""};
        CHECK(cas_uploads_to_delete(listing, "certman", "www", current, {}, 0) == ids{20});
    }
}

TEST_CASE("cas plan: cas_uploads_to_delete returns at most max_deletions_per_deploy, the newest first") {
    for (const std::size_t superseded : {max_deletions_per_deploy, max_deletions_per_deploy + 1, std::size_t{1000}}) {
        CAPTURE(superseded);
        std::vector<cas_certificate> listing{served};
        const auto id = [](std::size_t i) { return static_cast<std::int64_t>(1000 + i); };  // clear of served's 50
        for (std::size_t i = 0; i < superseded; ++i) listing.push_back(ours(id(i), "20250101"));
        const auto doomed = cas_uploads_to_delete(listing, "certman", "www", served, {}, 0);
        REQUIRE(doomed.size() == max_deletions_per_deploy);
        CHECK(doomed.front() == id(superseded - 1));  // equal dates: the largest CertId is the newest
        CHECK(doomed.back() == id(superseded - max_deletions_per_deploy));
    }
}
