#include "certman/deploy/child_environment.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace certman::deploy;

TEST_CASE("child_environment: allowlist, pass_environment, environment; secrets never pass") {
    const char* parent[] = {"PATH=/opt/bin:/usr/bin",
                            "LANG=C.UTF-8",
                            "LC_ALL=C",
                            "LC_=x",  // not an LC_* category name: dropped
                            "TZ=UTC",
                            "HOME=/var/lib/certman",
                            "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIxxx",
                            "ALIBABA_CLOUD_ACCESS_KEY_SECRET=s3cret",
                            "ALIBABA_CLOUD_SECURITY_TOKEN=tok",
                            "CERTMAN_EXTRA=1",
                            "NOEQUALS",
                            "LD_PRELOAD=/tmp/evil.so",
                            nullptr};
    SUBCASE("defaults") {
        auto env = child_environment(parent, {}, {});
        CHECK(env == std::vector<std::string>{"HOME=/var/lib/certman", "LANG=C.UTF-8", "LC_ALL=C",
                                              "PATH=/opt/bin:/usr/bin", "TZ=UTC"});
    }
    SUBCASE("pass_environment copies named variables that are set") {
        auto env = child_environment(parent, {"CERTMAN_EXTRA", "NOT_SET"}, {});
        CHECK(std::find(env.begin(), env.end(), "CERTMAN_EXTRA=1") != env.end());
        CHECK(env.size() == 6);
    }
    SUBCASE("environment sets values and wins over the daemon's") {
        auto env = child_environment(parent, {}, {"PATH=/only", "RELOAD_MODE=graceful", "EMPTY=", "bad name=x", "=x"});
        CHECK(std::find(env.begin(), env.end(), "PATH=/only") != env.end());
        CHECK(std::find(env.begin(), env.end(), "RELOAD_MODE=graceful") != env.end());
        CHECK(std::find(env.begin(), env.end(), "EMPTY=") != env.end());
        CHECK(env.size() == 7);
    }
    for (const auto& e : child_environment(parent, {}, {})) {
        CAPTURE(e);
        CHECK(e.find("ALIBABA") == std::string::npos);
        CHECK(e.find("LD_PRELOAD") == std::string::npos);
    }
}

TEST_CASE("child_environment: PATH defaults when the daemon has none; null parent") {
    CHECK(child_environment(nullptr, {}, {}) == std::vector<std::string>{std::string("PATH=") + default_child_path});
}

TEST_CASE("valid_variable_name") {
    for (const char* ok : {"A", "_", "PATH", "lc_all", "X1_2"}) {
        CAPTURE(ok);
        CHECK(valid_variable_name(ok));
    }
    for (const char* bad : {"", "1A", "A-B", "A B", "A=B", "Ä"}) {
        CAPTURE(bad);
        CHECK_FALSE(valid_variable_name(bad));
    }
}
