#include "certman/net/server.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <spdlog/spdlog.h>

namespace certman::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// What every session shares with its server; kept alive by the sessions so stop() never leaves them dangling.
struct shared_state {
    server_options options;
    request_handler handler;
    http_stats stats;
    bool stopping = false;
    struct live { beast::tcp_stream* stream; bool reading; };
    std::list<live> sessions;
};

http::response<http::string_body> make_response(response_spec&& spec, unsigned version, bool keep_alive, bool head) {
    http::response<http::string_body> res{static_cast<http::status>(spec.status), version};
    res.set(http::field::server, "certman");
    res.set(http::field::content_type, spec.content_type);
    if (!spec.allow.empty()) res.set(http::field::allow, spec.allow);
    res.keep_alive(keep_alive);
    const auto size = spec.body.size();
    if (!head) res.body() = std::move(spec.body);
    res.content_length(size);
    return res;
}

route_id route_for_error(const beast::error_code& ec) {
    if (ec == http::error::header_limit) return route_id::headers_too_large;
    if (ec == http::error::body_limit) return route_id::too_large;
    return route_id::bad_request;
}

asio::awaitable<void> run_session(tcp::socket socket, std::shared_ptr<shared_state> st) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    auto self = st->sessions.insert(st->sessions.end(), {&stream, true});
    ++st->stats.connections_open;
    struct cleanup {
        std::shared_ptr<shared_state>& st;
        std::list<shared_state::live>::iterator it;
        ~cleanup() { st->sessions.erase(it); --st->stats.connections_open; }
    } guard{st, self};

    for (;;) {
        self->reading = true;
        beast::error_code ec;
        if (buffer.size() == 0) {  // idle: wait for the first byte of the next request
            stream.expires_after(st->options.idle_timeout);
            auto n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
            buffer.commit(n);
            if (ec) {
                if (ec == beast::error::timeout) ++st->stats.connections_timed_out;
                break;
            }
        }
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(st->options.max_header_bytes));
        parser.body_limit(st->options.max_body_bytes);
        stream.expires_after(st->options.header_timeout);
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        self->reading = false;
        if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted) break;
        if (ec == beast::error::timeout) { ++st->stats.connections_timed_out; break; }
        if (ec) {  // malformed or over a limit: answer once, then close
            auto spec = fixed_response(route_for_error(ec));
            st->stats.record(spec.route, spec.status);
            auto res = make_response(std::move(spec), 11, false, false);
            stream.expires_after(std::chrono::seconds(5));
            co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
            break;
        }
        auto& req = parser.get();
        response_spec spec;
        try {
            spec = st->handler(std::string_view(req.method_string().data(), req.method_string().size()),
                               std::string_view(req.target().data(), req.target().size()));
        } catch (const std::exception& e) {
            spdlog::error("{}: request handler failed: {}", st->options.name, e.what());
            spec = response_spec{500, "text/plain", "internal error\n", {}, route_id::not_found};
        }
        if (spec.status == 404 && st->options.challenge_fallback && req.method() != http::verb::post) {
            auto target = std::string_view(req.target().data(), req.target().size());
            if (auto token = challenge_token(target)) {
                if (auto found = co_await st->options.challenge_fallback(std::string(*token))) spec = challenge_response(*found);
            }
        }
        st->stats.record(spec.route, spec.status);
        const bool keep = req.keep_alive() && !st->stopping;
        auto res = make_response(std::move(spec), req.version(), keep, req.method() == http::verb::head);
        stream.expires_after(std::chrono::seconds(30));
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !keep) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.close();
}

class beast_server final : public server {
public:
    beast_server(asio::any_io_executor ex, server_options options, request_handler handler)
        : executor_(ex), acceptor_(ex), state_(std::make_shared<shared_state>()) {
        state_->options = std::move(options);
        state_->handler = std::move(handler);
    }

    result<void> start() override {
        boost::system::error_code ec;
        const auto& ep = state_->options.listen;
        auto address = asio::ip::make_address(ep.host, ec);
        if (ec) return ec;
        tcp::endpoint where(address, ep.port);
        acceptor_.open(where.protocol(), ec);
        if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec && where.protocol() == tcp::v6()) acceptor_.set_option(asio::ip::v6_only(false), ec);
        if (!ec) acceptor_.bind(where, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) return ec;
        asio::co_spawn(executor_, run_listener(), [name = state_->options.name](std::exception_ptr e) {
            if (!e) return;
            try { std::rethrow_exception(e); } catch (const std::exception& x) {
                spdlog::critical("{}: listener stopped: {}", name, x.what());
            }
        });
        return {};
    }

    void stop() override {
        if (state_->stopping) return;
        state_->stopping = true;
        boost::system::error_code ec;
        acceptor_.close(ec);
        for (auto& s : state_->sessions)
            if (s.reading) s.stream->socket().cancel(ec);
    }

    const http_stats& stats() const override { return state_->stats; }
    std::size_t open_connections() const override { return state_->sessions.size(); }
    endpoint local_endpoint() const override {
        boost::system::error_code ec;
        auto ep = acceptor_.local_endpoint(ec);
        return endpoint{ep.address().to_string(), ep.port()};
    }

private:
    asio::awaitable<void> run_listener() {
        auto st = state_;
        while (!st->stopping) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted || st->stopping) break;
            if (ec) {  // EMFILE and friends: back off briefly instead of spinning
                spdlog::warn("{}: accept failed: {}", st->options.name, ec.message());
                asio::steady_timer t(executor_, std::chrono::milliseconds(50));
                co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            if (st->sessions.size() >= st->options.max_connections) {
                ++st->stats.connections_rejected;
                socket.close(ec);
                continue;
            }
            ++st->stats.connections_accepted;
            socket.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(executor_, run_session(std::move(socket), st), [name = st->options.name](std::exception_ptr e) {
                if (!e) return;
                try { std::rethrow_exception(e); } catch (const std::exception& x) {
                    spdlog::error("{}: session failed: {}", name, x.what());
                }
            });
        }
    }

    asio::any_io_executor executor_;
    tcp::acceptor acceptor_;
    std::shared_ptr<shared_state> state_;
};
}  // namespace

std::unique_ptr<server> make_server(asio::any_io_executor executor, server_options options, request_handler handler) {
    return std::make_unique<beast_server>(executor, std::move(options), std::move(handler));
}
}  // namespace certman::net
