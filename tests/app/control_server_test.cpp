#include <doctest/doctest.h>
#include "certman/app/control_commands.hpp"
#include "certman/app/control_server.hpp"

using namespace certman::app;

TEST_CASE("control socket: only root, the daemon's uid or its gid are served") {
    struct row { uid_t uid; gid_t gid; bool allowed; };
    const row rows[] = {
        {0, 0, true},          // root
        {0, 65534, true},      // root with another group
        {999, 65534, true},    // the daemon's user
        {1000, 999, true},     // a member of the daemon's group (primary gid)
        {65534, 65534, false}, // nobody
        {1000, 1000, false},   // another user
    };
    for (const auto& r : rows) {
        CAPTURE(r.uid);
        CAPTURE(r.gid);
        CHECK(control_peer_allowed(r.uid, r.gid, 999, 999) == r.allowed);
    }
}

TEST_CASE("control socket: progress is the log lines about the requested certificates") {
    const std::vector<std::string> www{"www"};
    CHECK(log_line_concerns("certificate www: renewal forced by the operator", www));
    CHECK(log_line_concerns("certificate www: deployer lb: installed", www));
    CHECK(log_line_concerns("certificate www lease lost; another instance will finish the job", www));
    CHECK_FALSE(log_line_concerns("certificate www2: renewal forced by the operator", www));
    CHECK_FALSE(log_line_concerns("certificate api: obtained serial 1", www));
    CHECK_FALSE(log_line_concerns("control socket: {\"command\":\"renew\"}", www));
    CHECK_FALSE(log_line_concerns("certificate www", www));  // nothing after the name
    CHECK(log_line_concerns("certificate api: obtained serial 1", {}));  // no names: every certificate
    CHECK_FALSE(log_line_concerns("stopped", {}));
}
