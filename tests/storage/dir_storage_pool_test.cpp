// dir_storage on a blocking pool (include/certman/storage/dir_storage.hpp, core/blocking_pool.hpp): the same
// contract; the io thread keeps running while a write waits on the pool; operations land in call order; the
// storage may be destroyed, and the io_context stopped, while a write is in flight.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "certman/app/event_loop.hpp"
#include "certman/core/blocking_pool.hpp"
#include "certman/storage/dir_storage.hpp"
#include "storage/storage_contract.hpp"

namespace fs = std::filesystem;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

struct pooled_dir_fixture {
    certman::blocking_pool pool{2};  // declared first: outlives every storage opened below
    fs::path base;
    fs::path root;
    pooled_dir_fixture() {
        std::string tmpl = (fs::temp_directory_path() / "certman-storage-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        base = tmpl;
        root = base / "state";
    }
    ~pooled_dir_fixture() {
        pool.join();
        std::error_code ec;
        fs::remove_all(base, ec);
    }
    std::unique_ptr<certman::storage::storage> open() { return certman::storage::make_dir_storage(root, &pool); }
};

// Holds the pool's only thread until release(): a job submitted meanwhile waits behind it.
struct plug {
    std::promise<void> gate;
    explicit plug(certman::blocking_pool& pool) {
        asio::post(pool.executor(), [f = gate.get_future().share()] { f.wait(); });
    }
    void release() { gate.set_value(); }
};

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("dir_storage on a blocking pool meets the storage contract") {
    certman::test::check_storage_contract<pooled_dir_fixture>();
}

TEST_CASE("dir_storage on a blocking pool: the io thread runs while a write waits on the pool") {
    pooled_dir_fixture fx;
    certman::blocking_pool one(1);
    // Plugged before the storage exists: its start-up sweep and the store then queue behind the plug (plugged
    // after, a drain already running the sweep would take the store next, before reaching the plug).
    plug held(one);
    auto s = certman::storage::make_dir_storage(fx.root, &one);
    asio::io_context io;
    std::vector<std::string> events;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        auto r = co_await s->store("certificates/a.json", "new");
        events.push_back(r ? "stored" : "failed: " + r.error().message());
    }, asio::detached);
    asio::steady_timer timer(io, 1ms);
    timer.async_wait([&](boost::system::error_code) {
        events.push_back("timer");  // the io thread is free although the store has not run yet
        held.release();
    });
    io.run();
    std::string seen;
    for (const auto& e : events) seen += e + ";";
    CHECK(seen == "timer;stored;");
    CHECK(file_text(fx.root / "certificates/a.json") == "new");
}

TEST_CASE("dir_storage on a blocking pool: operations of one storage land in call order") {
    pooled_dir_fixture fx;
    auto s = fx.open();
    asio::io_context io;
    constexpr int writers = 20;
    for (int i = 1; i <= writers; ++i)
        asio::co_spawn(io, [&s, i]() -> asio::awaitable<void> {
            (void)co_await s->store("state/k.json", "v" + std::to_string(i));
        }, asio::detached);
    std::optional<std::string> read;  // issued after every store: sees the last one
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        auto r = co_await s->load("state/k.json");
        if (r) read = *r;
    }, asio::detached);
    io.run();
    CHECK(read == "v" + std::to_string(writers));
    CHECK(file_text(fx.root / "state/k.json") == "v" + std::to_string(writers));
}

TEST_CASE("dir_storage on a blocking pool: destroyed while its write waits, the write still lands whole") {
    pooled_dir_fixture fx;
    certman::blocking_pool one(1);
    // Plugged before the storage exists: its start-up sweep and the store then queue behind the plug (plugged
    // after, a drain already running the sweep would take the store next, before reaching the plug).
    plug held(one);
    auto s = certman::storage::make_dir_storage(fx.root, &one);
    asio::io_context io;
    std::optional<bool> stored;
    asio::co_spawn(io, [&, st = s.get()]() -> asio::awaitable<void> {
        auto r = co_await st->store("certificates/a.json", std::string(100000, 'x'));
        stored = r.has_value();
    }, asio::detached);
    io.poll();  // the job is queued on the pool
    REQUIRE_FALSE(stored);
    s.reset();  // the job owns its root, key and value
    held.release();
    io.run();
    CHECK(stored == true);
    CHECK(file_text(fx.root / "certificates/a.json") == std::string(100000, 'x'));
}

TEST_CASE("dir_storage on a blocking pool: the io_context stopped during a write (hard stop) is safe") {
    pooled_dir_fixture fx;
    bool resumed = false;
    {
        certman::app::event_loop loop;  // joins its pool, then destroys the suspended frames
        auto held = std::make_shared<plug>(loop.pool());  // before the storage's start-up sweep, as above
        auto s = certman::storage::make_dir_storage(fx.root, &loop.pool());
        asio::co_spawn(loop.io(), [&, st = s.get()]() -> asio::awaitable<void> {
            (void)co_await st->store("certificates/a.json", "whole");
            resumed = true;
        }, asio::detached);
        asio::post(loop.io(), [&loop] { loop.io().stop(); });  // what the hard stop does
        std::thread release([&loop, held] {
            while (!loop.io().stopped()) std::this_thread::sleep_for(1ms);
            held->release();  // the write runs only once the io_context has stopped
        });
        loop.run();
        release.join();
    }
    CHECK_FALSE(resumed);  // never resumed: its frame was destroyed while the storage was alive
    CHECK(file_text(fx.root / "certificates/a.json") == "whole");  // started work is never abandoned half done
}
