// ALB/NLB deploy decisions: upload names, our upload, already deployed / reuse / upload
// (include/certman/deploy/cas_listener_plan.hpp).
#include <doctest/doctest.h>

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
