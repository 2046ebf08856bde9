#include <doctest/doctest.h>
#include "certman/acme/nonce_pool.hpp"

using namespace certman::acme;

TEST_CASE("nonce_pool: FIFO, bounded, validated") {
    nonce_pool pool(3);
    CHECK_FALSE(pool.take());
    CHECK(pool.add("n1"));
    CHECK(pool.add(" n2\t"));  // header whitespace is trimmed
    CHECK(pool.add("n3"));
    CHECK_FALSE(pool.add("n3"));  // duplicate
    CHECK(pool.size() == 3);
    CHECK(pool.add("n4"));  // full: n1 is dropped
    CHECK(pool.size() == 3);
    CHECK(pool.take() == "n2");
    CHECK(pool.take() == "n3");
    CHECK(pool.take() == "n4");
    CHECK_FALSE(pool.take());
    const char* rejected[] = {"", "a b", "abc=", "a/b", "a+b", "\"n\""};
    for (const char* n : rejected) {
        CAPTURE(n);
        CHECK_FALSE(pool.add(n));
    }
    CHECK(pool.size() == 0);
    pool.add("x1");
    pool.clear();
    CHECK_FALSE(pool.take());
}

TEST_CASE("nonce_pool: capacity bound holds over many adds") {
    struct row { std::size_t capacity; int adds; std::size_t want_size; const char* want_first; };
    const row rows[] = {{1, 5, 1, "n4"}, {4, 10, 4, "n6"}, {16, 3, 3, "n0"}, {0, 2, 1, "n1"}};
    for (const auto& r : rows) {
        CAPTURE(r.capacity);
        nonce_pool pool(r.capacity);
        for (int i = 0; i < r.adds; ++i) pool.add("n" + std::to_string(i));
        CHECK(pool.size() == r.want_size);
        CHECK(pool.take() == r.want_first);
    }
}
