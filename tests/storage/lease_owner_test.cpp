#include "certman/storage/lease_owner.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include "certman/storage/lease.hpp"
#include "support/memory_storage.hpp"
#include "support/run_coroutine.hpp"

using namespace certman::storage;
using namespace std::chrono_literals;

TEST_CASE("parse_lease_owner: host/pid/random[/start]") {
    auto four = parse_lease_owner("web-1/4242/123456/98765");
    REQUIRE(four);
    CHECK(four->host == "web-1");
    CHECK(four->pid == 4242);
    REQUIRE(four->start_ticks);
    CHECK(*four->start_ticks == 98765u);
    auto three = parse_lease_owner("web-1/4242/123456");  // written before the start time was recorded
    REQUIRE(three);
    CHECK_FALSE(three->start_ticks);
    for (const char* bad : {"", "web-1", "web-1/x/1", "/4242/1", "web-1/0/1", "web-1/-3/1", "web-1/42/1/x",
                            "web-1/42/1/2/3", "web-1/42/1/"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_lease_owner(bad));
    }
    CHECK(format_lease_owner("h", 7, "r", 11) == "h/7/r/11");
    CHECK(parse_lease_owner(format_lease_owner("h", 7, "r", 11))->start_ticks == 11u);
}

TEST_CASE("owner_gone: only a process of this host that no longer exists (or was replaced) is gone") {
    const lease_owner with_start{"web-1", 4242, 1000};
    const lease_owner without_start{"web-1", 4242, std::nullopt};
    struct row { const char* what; lease_owner owner; const char* host; process_probe probe; bool gone; };
    const row rows[] = {
        {"no such process here", with_start, "web-1", std::nullopt, true},
        {"alive, same start", with_start, "web-1", 1000u, false},
        {"pid reused by a later process", with_start, "web-1", 1001u, true},
        {"pid reused by an earlier-started process", with_start, "web-1", 999u, true},
        {"start unreadable: assume alive", with_start, "web-1", 0u, false},
        {"old owner format, alive pid", without_start, "web-1", 5u, false},
        {"old owner format, no process", without_start, "web-1", std::nullopt, true},
        {"another host: only the expiry counts", with_start, "web-2", std::nullopt, false},
        {"another host, pid reused here", with_start, "web-2", 7u, false},
    };
    for (const auto& r : rows) {
        CAPTURE(r.what);
        CHECK(owner_gone(r.owner, r.host, r.probe) == r.gone);
    }
}

TEST_CASE("probe_process and local_owner_gone against real processes") {
    auto self = probe_process(::getpid());
    REQUIRE(self);
    CHECK(*self > 0u);
    CHECK_FALSE(local_owner_gone(this_process_owner()));
    auto parsed = parse_lease_owner(this_process_owner());
    REQUIRE(parsed);
    CHECK(parsed->pid == ::getpid());
    CHECK(parsed->start_ticks == *self);
    // A child that has exited and been reaped: its pid names nobody (until reused, which start time catches).
    pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK_FALSE(probe_process(child));
    CHECK(local_owner_gone(format_lease_owner(this_host_name(), child, "r", 5)));
    // The same pid as ours but another start time: a reused pid, gone.
    CHECK(local_owner_gone(format_lease_owner(this_host_name(), ::getpid(), "r", *self + 1)));
    // Another host's dead-looking owner is never judged from here.
    CHECK_FALSE(local_owner_gone(format_lease_owner(this_host_name() + "-other", child, "r", 5)));
    CHECK_FALSE(local_owner_gone("not an owner"));
}

TEST_CASE("acquire_lease takes over an unexpired lease whose owner is gone, and only then") {
    certman::test::memory_storage store;
    const auto now = std::chrono::sys_seconds{std::chrono::seconds{1'700'000'000}};
    certman::test::run_coroutine([&]() -> boost::asio::awaitable<void> {
        auto first = co_await acquire_lease(store, "c", "dead/1/x/1", 3600s, now);
        REQUIRE(first.has_value());
        bool (*alive)(std::string_view) = [](std::string_view) { return false; };
        auto blocked = co_await acquire_lease(store, "c", "me/2/y/2", 3600s, now, nullptr, alive);
        REQUIRE_FALSE(blocked.has_value());
        CHECK(blocked.error() == certman::errc::already_exists);
        static std::string asked;
        bool (*gone)(std::string_view) = [](std::string_view owner) { asked = owner; return true; };
        auto taken = co_await acquire_lease(store, "c", "me/2/y/2", 3600s, now, nullptr, gone);
        REQUIRE(taken.has_value());
        CHECK(asked == "dead/1/x/1");
        CHECK(taken->taken_over);
        auto ours = co_await still_ours(store, *taken, now);
        CHECK(ours.has_value());
    });
}
