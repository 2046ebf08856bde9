#include <doctest/doctest.h>

#include "certman/challenge/http01_solver.hpp"
#include "certman/storage/keys.hpp"
#include "support/memory_storage.hpp"
#include "support/run_coroutine.hpp"

namespace certman::challenge {
namespace {
using test::run_coroutine;

const acme::challenge_params first{acme::identifier::dns("a.example.org"), "tok_AAAAAAAAAAAAAAAAAAAAAA",
                                   "tok_AAAAAAAAAAAAAAAAAAAAAA.thumb"};
const acme::challenge_params second{acme::identifier::dns("b.example.org"), "tok_BBBBBBBBBBBBBBBBBBBBBB",
                                    "tok_BBBBBBBBBBBBBBBBBBBBBB.thumb"};

TEST_CASE("http-01 memory solver: present, ready at once, cleanup removes only its token") {
    net::challenge_store memory;
    auto solver = make_http01_memory_solver(memory);
    CHECK(solver->type() == "http-01");
    REQUIRE(run_coroutine(solver->present(first)));
    REQUIRE(run_coroutine(solver->present(second)));
    REQUIRE(run_coroutine(solver->present(first)));  // idempotent
    CHECK(run_coroutine(solver->wait_ready(first)));
    CHECK(memory.find(first.token) == first.key_authorization);
    run_coroutine(solver->cleanup(first));
    CHECK_FALSE(memory.find(first.token));
    CHECK(memory.find(second.token) == second.key_authorization);
    run_coroutine(solver->cleanup(first));  // already gone: fine
    CHECK(memory.size() == 1);
}

TEST_CASE("http-01 memory solver: a token that is not base64url is refused") {
    net::challenge_store memory;
    auto solver = make_http01_memory_solver(memory);
    auto bad = first;
    bad.token = "../etc/passwd";
    auto r = run_coroutine(solver->present(bad));
    REQUIRE_FALSE(r);
    CHECK(r.error() == make_error_code(errc::protocol_error));
    CHECK(memory.size() == 0);
}

TEST_CASE("http-01 shared solver: memory and shared storage, both cleaned up") {
    net::challenge_store memory;
    test::memory_storage shared;
    auto solver = make_http01_shared_solver(memory, shared);
    CHECK(solver->type() == "http-01");
    REQUIRE(run_coroutine(solver->present(first)));
    CHECK(memory.find(first.token) == first.key_authorization);
    CHECK(shared.objects.at(storage::challenge_key(first.token)) == first.key_authorization);
    run_coroutine(solver->cleanup(first));
    CHECK(memory.size() == 0);
    CHECK(shared.objects.empty());

    SUBCASE("storage refusing writes fails present with its code") {
        shared.unreachable = true;
        auto r = run_coroutine(solver->present(second));
        REQUIRE_FALSE(r);
        CHECK(r.error() == make_error_code(errc::cloud_error));
        run_coroutine(solver->cleanup(second));  // best effort: no throw, memory cleared
        CHECK(memory.size() == 0);
    }
}

}  // namespace
}  // namespace certman::challenge
