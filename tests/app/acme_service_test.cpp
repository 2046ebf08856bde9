// The real acme_service (src/app/acme_service.cpp) on a scripted HTTP client: what reaches the CA when many
// certificates ask at once.
#include "certman/app/acme_service.hpp"
#include <doctest/doctest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "../support/memory_storage.hpp"
#include "certman/app/config.hpp"
#include "certman/net/http_client.hpp"

using namespace certman;
namespace asio = boost::asio;

namespace {
constexpr const char* directory_url = "https://ca.test/dir";
constexpr const char* directory_doc =
    R"({"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct","newOrder":"https://ca.test/order",)"
    R"("revokeCert":"https://ca.test/revoke","keyChange":"https://ca.test/key","renewalInfo":"https://ca.test/ari"})";

// Answers after a short wait (so concurrent callers overlap): the directory with `directory_status`, any
// renewalInfo with 200. Counts requests by URL.
class slow_ca final : public net::http_client {
public:
    explicit slow_ca(asio::any_io_executor ex) : ex_(std::move(ex)) {}
    unsigned directory_status = 200;
    std::map<std::string, int> seen;
    asio::awaitable<result<net::http_response>> send(net::http_request r) override {
        ++seen[r.url.rfind("https://ca.test/ari/", 0) == 0 ? "ari" : r.url];
        asio::steady_timer t(ex_, std::chrono::milliseconds(5));
        co_await t.async_wait(asio::use_awaitable);
        if (r.url == directory_url) co_return net::http_response{directory_status, {}, directory_doc};
        co_return net::http_response{200, {}, "{}"};
    }

private:
    asio::any_io_executor ex_;
};

struct service_fixture {
    asio::io_context ctx;
    blocking_pool pool{1};
    test::memory_storage store;
    app::acme_stats stats;
    app::config cfg;
    slow_ca ca{ctx.get_executor()};
    std::unique_ptr<app::acme_service> service;
    service_fixture() {
        cfg.acme.directory = directory_url;
        service = app::make_acme_service(ctx.get_executor(), cfg, "certman.toml", store,
                                         [this]() -> net::http_client& { return ca; }, pool, stats);
    }
    // `n` certificates ask for their renewalInfo at once; returns how many got an answer.
    int ask_together(int n) {
        int answered = 0;
        for (int i = 0; i < n; ++i)
            asio::co_spawn(ctx, service->fetch_renewal_info("cert" + std::to_string(i)),
                           [&](std::exception_ptr e, std::optional<app::renewal_info_answer> a) {
                               REQUIRE_FALSE(e);
                               if (a) ++answered;
                           });
        ctx.restart();
        ctx.run();
        return answered;
    }
};
}  // namespace

TEST_CASE("many certificates asking for renewalInfo at once share one directory request") {
    service_fixture f;
    CHECK(f.ask_together(50) == 50);
    CHECK(f.ca.seen[directory_url] == 1);
    CHECK(f.ca.seen["ari"] == 50);
    CHECK(f.ask_together(3) == 3);  // cached from then on
    CHECK(f.ca.seen[directory_url] == 1);
}

TEST_CASE("a failed directory request is shared by those waiting for it; a later pass tries again") {
    service_fixture f;
    f.ca.directory_status = 503;
    CHECK(f.ask_together(50) == 0);
    CHECK(f.ca.seen[directory_url] == 1);
    CHECK(f.ca.seen["ari"] == 0);
    f.ca.directory_status = 200;
    CHECK(f.ask_together(1) == 1);
    CHECK(f.ca.seen[directory_url] == 2);
}
