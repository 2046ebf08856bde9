#include <doctest/doctest.h>
#include "certman/app/control_commands.hpp"
#include "certman/app/control_server.hpp"
#include <vector>

using namespace certman::app;

TEST_CASE("control socket: only root, the daemon's uid or a member of its group are served") {
    struct row { uid_t uid; gid_t gid; std::vector<gid_t> groups; bool allowed; };
    const row rows[] = {
        {0, 0, {}, true},                  // root
        {0, 65534, {}, true},              // root with another group
        {999, 65534, {}, true},            // the daemon's user
        {1000, 999, {}, true},             // a member of the daemon's group (primary gid)
        {1000, 1000, {27, 999}, true},     // a member of the daemon's group (supplementary)
        {65534, 65534, {}, false},         // nobody
        {1000, 1000, {}, false},           // another user
        {1000, 1000, {27, 100}, false},    // another user in other groups
    };
    for (const auto& r : rows) {
        CAPTURE(r.uid);
        CAPTURE(r.gid);
        CHECK(control_peer_allowed(r.uid, r.gid, r.groups, 999, 999) == r.allowed);
    }
}

TEST_CASE("control socket: a renew's progress is the pass's steps, then the outcome with the result line") {
    std::vector<std::string> out;
    renew_progress lines([&out](std::string_view l) { out.emplace_back(l); });
    SUBCASE("steps, then the result line once, with ok in front") {
        lines("www: renewal forced by the operator");
        lines("www: deployer lb: installed");
        lines("www: obtained serial 1, valid until 2027-03-01T00:00:00Z");
        lines.finish(true, "www: obtained serial 1, valid until 2027-03-01T00:00:00Z");
        CHECK(out == std::vector<std::string>{"certificate www: renewal forced by the operator",
                                              "certificate www: deployer lb: installed",
                                              "ok   www: obtained serial 1, valid until 2027-03-01T00:00:00Z"});
    }
    SUBCASE("a failure: FAIL in front") {
        lines("www: FAILED: the CA refused");
        lines.finish(false, "www: FAILED: the CA refused");
        CHECK(out == std::vector<std::string>{"FAIL www: FAILED: the CA refused"});
    }
    SUBCASE("a last line that is not the result is still shown") {
        lines("www: lease taken");
        lines.finish(false, "www: lease lost");
        CHECK(out == std::vector<std::string>{"certificate www: lease taken", "FAIL www: lease lost"});
    }
    SUBCASE("no line at all (an empty callback never called)") {
        lines.finish(false, "nope: no such certificate in the configuration");
        CHECK(out == std::vector<std::string>{"FAIL nope: no such certificate in the configuration"});
    }
}
