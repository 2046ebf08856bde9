// Beast + OpenSSL implementation of net::http_client (contract in the header): one deadline per request
// covering resolve, connect, TLS, write and read; idle keep-alive connections are pooled per origin.
#include "certman/net/http_client.hpp"
#include "certman/net/trust_store.hpp"
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <map>
#include <stdexcept>
#include "certman/net/endpoint.hpp"

namespace certman::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

struct target {
    bool tls = false;
    std::string host;  // without brackets
    std::string port;
    std::string path;  // path + query
    std::string origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

result<target> parse_target(const std::string& url) {
    auto u = boost::urls::parse_uri(url);
    if (!u) return errc::invalid_argument;
    target t;
    if (u->scheme() == "https") t.tls = true;
    else if (u->scheme() != "http") return errc::invalid_argument;
    t.host = std::string(u->encoded_host_address());
    if (!t.host.empty() && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
    if (t.host.empty()) return errc::invalid_argument;
    t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
    t.path = std::string(u->encoded_resource());
    if (t.path.empty() || t.path.front() != '/') t.path = "/" + t.path;
    return t;
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    auto ep = parse_endpoint(host + ":1");
    if (!ep) ep = parse_endpoint("[" + host + "]:1");
    return ep && ep->is_loopback();
}

// What a connection's read buffer may hold besides the body: the status line and header fields (Beast's
// response_parser refuses more than 8 KiB of them), one read's worth of bytes, and slack.
constexpr std::size_t read_slack_bytes = 128 * 1024;

struct connection {
    // `buffer_limit` bounds the read buffer: Beast's parser holds a chunk line (size and extensions) and the
    // trailer fields whole in it and has no limit of its own for them, so without one a server that sends an
    // endless chunk extension or trailer grows memory until the deadline.
    connection(asio::any_io_executor ex, ssl::context& ctx, bool tls, std::size_t buffer_limit)
        : tls(tls), plain(ex), secure(asio::any_io_executor(ex), ctx), buffer(buffer_limit) {}
    bool tls;
    beast::tcp_stream plain;                         // used when !tls
    beast::ssl_stream<beast::tcp_stream> secure;     // used when tls
    beast::flat_buffer buffer;
    beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(secure) : plain; }
};

class beast_http_client final : public http_client {
public:
    beast_http_client(asio::any_io_executor ex, http_client_options options)
        : executor_(ex), options_(std::move(options)), ctx_(ssl::context::tls_client) {
        // The shared system roots (parsed once per process) plus trusted_ca_file: net/trust_store.hpp.
        auto roots = trust_store_for(options_.trusted_ca_file);
        if (!roots) throw std::runtime_error(roots.error().what());
        SSL_CTX_set1_cert_store(ctx_.native_handle(), roots->get());
        ctx_.set_verify_mode(ssl::verify_peer);
        SSL_CTX_set_min_proto_version(ctx_.native_handle(), TLS1_2_VERSION);
    }

    asio::awaitable<result<http_response>> send(http_request request) override {
        auto t = parse_target(request.url);
        if (!t) co_return t.error();
        if (!t->tls && !options_.allow_plain_http && !is_loopback_host(t->host)) co_return errc::invalid_argument;
        const auto deadline = std::chrono::steady_clock::now() + request.timeout;
        // A pooled connection may have been closed by the peer meanwhile: one retry on a fresh connection.
        for (int attempt = 0; attempt < 2; ++attempt) {
            auto conn = take_pooled(*t);
            const bool reused = conn != nullptr;
            if (!conn) {
                auto fresh = co_await open(*t, deadline);
                if (!fresh) co_return fresh.error();
                conn = std::move(*fresh);
            }
            bool sent_nothing_back = false, keep = false;
            auto res = co_await exchange(*conn, *t, request, deadline, sent_nothing_back, keep);
            if (!res && reused && sent_nothing_back && res.error() != make_error_code(errc::timeout)) continue;
            if (res && keep && pool_.size() < 16) pool_.emplace(t->origin(), std::move(conn));
            co_return res;
        }
        co_return errc::protocol_error;
    }

private:
    std::unique_ptr<connection> take_pooled(const target& t) {
        auto it = pool_.find(t.origin());
        if (it == pool_.end()) return nullptr;
        auto c = std::move(it->second);
        pool_.erase(it);
        return c;
    }

    asio::awaitable<result<std::unique_ptr<connection>>> open(const target& t, std::chrono::steady_clock::time_point deadline) {
        tcp::resolver resolver(executor_);
        asio::steady_timer timer(executor_, deadline);
        boost::system::error_code ec;
        auto raced = co_await (resolver.async_resolve(t.host, t.port, asio::redirect_error(asio::use_awaitable, ec)) ||
                               timer.async_wait(asio::use_awaitable));
        if (raced.index() == 1) co_return errc::timeout;
        if (ec) co_return ec;
        auto endpoints = std::get<0>(raced);
        auto c = std::make_unique<connection>(executor_, ctx_, t.tls, options_.max_body_bytes + read_slack_bytes);
        c->lowest().expires_at(deadline);
        co_await c->lowest().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == beast::error::timeout) co_return errc::timeout;
        if (ec) co_return ec;
        if (t.tls) {
            SSL* ssl = c->secure.native_handle();
            auto ip = parse_endpoint(t.host + ":1");
            auto ip6 = parse_endpoint("[" + t.host + "]:1");
            if (ip || ip6) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), t.host.c_str());
            } else {
                SSL_set_tlsext_host_name(ssl, t.host.c_str());
                SSL_set1_host(ssl, t.host.c_str());
            }
            co_await c->secure.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == beast::error::timeout) co_return errc::timeout;
            if (ec) co_return ec;
        }
        co_return c;
    }

    asio::awaitable<result<http_response>> exchange(connection& c, const target& t, const http_request& request,
                                                    std::chrono::steady_clock::time_point deadline, bool& nothing_back,
                                                    bool& keep) {
        http::request<http::string_body> req{http::string_to_verb(request.method), t.path, 11};
        // RFC 9110 §7.2: the port is part of Host unless it is the scheme's default (servers such as Pebble
        // build their URLs from it).
        std::string host = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
        if (t.port != (t.tls ? "443" : "80")) host += ":" + t.port;
        req.set(http::field::host, host);
        req.set(http::field::user_agent, options_.user_agent);
        for (const auto& [k, v] : request.headers) req.set(k, v);
        req.body() = request.body;
        req.prepare_payload();
        req.keep_alive(true);
        c.lowest().expires_at(deadline);
        boost::system::error_code ec;
        if (c.tls) co_await http::async_write(c.secure, req, asio::redirect_error(asio::use_awaitable, ec));
        else co_await http::async_write(c.plain, req, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            nothing_back = true;
            co_return ec == beast::error::timeout ? make_error_code(errc::timeout) : ec;
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(options_.max_body_bytes);
        if (request.method == "HEAD") parser.skip(true);
        if (c.tls) co_await http::async_read(c.secure, c.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        else co_await http::async_read(c.plain, c.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            nothing_back = !parser.got_some();
            if (ec == beast::error::timeout) co_return errc::timeout;
            if (ec == http::error::body_limit || ec == http::error::buffer_overflow || ec == http::error::header_limit)
                co_return errc::protocol_error;
            co_return ec;
        }
        auto msg = parser.release();
        http_response out;
        out.status = msg.result_int();
        for (const auto& f : msg) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        out.body = std::move(msg.body());
        keep = msg.keep_alive();
        co_return out;
    }

    asio::any_io_executor executor_;
    http_client_options options_;
    ssl::context ctx_;
    std::multimap<std::string, std::unique_ptr<connection>> pool_;
};
}  // namespace

std::unique_ptr<http_client> make_http_client(asio::any_io_executor executor, http_client_options options) {
    return std::make_unique<beast_http_client>(executor, std::move(options));
}
}  // namespace certman::net
