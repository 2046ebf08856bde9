#include "certman/app/state_owner.hpp"

#include <doctest/doctest.h>

using namespace certman::app;

TEST_CASE("foreign_state_refusal: root on another user's state directory is refused with the command to run") {
    const std::vector<std::string> argv{"certman", "--config", "/etc/certman/my conf.toml", "renew", "--force"};
    auto r = foreign_state_refusal(0, 998, "certman", "/var/lib/certman", argv);
    REQUIRE(r);
    CHECK(r->find("/var/lib/certman belongs to certman") != std::string::npos);
    CHECK(r->find("\n  sudo -u certman certman --config '/etc/certman/my conf.toml' renew --force") != std::string::npos);
    auto unnamed = foreign_state_refusal(0, 4242, "", "/s", {"certman", "status"});
    REQUIRE(unnamed);
    CHECK(unnamed->find("sudo -u '#4242' certman status") != std::string::npos);
    CHECK_FALSE(foreign_state_refusal(0, 0, "root", "/s", argv));      // root's own directory
    CHECK_FALSE(foreign_state_refusal(998, 998, "certman", "/s", argv));  // the owner itself
    CHECK_FALSE(foreign_state_refusal(1000, 998, "certman", "/s", argv)); // another user: the OS refuses, not us
}

TEST_CASE("shell_quote") {
    struct row { const char* in; const char* out; };
    const row rows[] = {{"renew", "renew"}, {"/etc/x.toml", "/etc/x.toml"}, {"", "''"}, {"a b", "'a b'"},
                        {"it's", "'it'\\''s'"}, {"$HOME", "'$HOME'"}, {"--name=a", "--name=a"}};
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(shell_quote(r.in) == r.out);
    }
}
