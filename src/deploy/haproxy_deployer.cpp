// The haproxy deployer (contract in the header; command text in haproxy_cli.cpp).
#include "certman/deploy/haproxy_deployer.hpp"


#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

#include "certman/core/blocking_pool.hpp"
#include "certman/core/errc.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/deploy/file_install.hpp"
#include "certman/deploy/step_deployer.hpp"
#include "certman/deploy/haproxy_cli.hpp"

namespace certman::deploy {
namespace asio = boost::asio;
using asio::awaitable;
using local = asio::local::stream_protocol;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::size_t max_reply = 64 * 1024;

class haproxy_deployer final : public step_deployer {
public:
    haproxy_deployer(asio::any_io_executor ex, std::string name, const haproxy_deployer_options& cfg, blocking_pool* pool)
        : step_deployer(std::string(cfg.kind), std::move(name)), ex_(std::move(ex)), cfg_(cfg), jobs_(pool) {}

private:

    awaitable<result<deploy_outcome>> run(const storage::certificate_bundle& bundle) override {
        auto facts = crypto::inspect_certificate(bundle.certificate_pem);
        if (!facts)
            co_return fail("read certificate", "the stored leaf certificate does not parse", facts.error().code());
        auto pem = haproxy::sanitize_pem_payload(bundle.fullchain_pem() + bundle.private_key_pem);
        // Ask first: a crt_path HAProxy does not know gets no file (it would load it at its next start).
        auto before = co_await served();
        if (!before) co_return before.error();
        // On the blocking pool (fsyncs): the job owns copies of the path and the PEM; true when it wrote.
        // Named, not a temporary inside co_await: GCC 12 destroys such a lambda's captures twice.
        auto write = [path = cfg_.crt_path, pem]() -> result<bool> {
            if (file_is_current(path, pem, 0600, {})) return false;
            if (auto w = install_file(path, pem, 0600, {}); !w) return w.error();
            return true;
        };
        auto written = co_await jobs_.call(std::move(write));
        if (!written) co_return fail("write " + cfg_.crt_path, written.error());
        const bool file_written = *written;
        if (before->sha1_fingerprint == facts->sha1_fingerprint)
            co_return deploy_outcome{file_written, "HAProxy already serves serial " + facts->serial_hex + " at " +
                                                       cfg_.crt_path + (file_written ? " (file rewritten)" : "")};
        auto set = co_await call(haproxy::set_ssl_cert_command(cfg_.crt_path, pem));
        if (!set) co_return set.error();
        if (!haproxy::set_ssl_cert_accepted(*set))
            co_return fail("set ssl cert " + cfg_.crt_path, haproxy::reply_excerpt(*set), errc::protocol_error);
        auto commit = co_await call(haproxy::commit_ssl_cert_command(cfg_.crt_path));
        if (!commit) co_return commit.error();
        if (!haproxy::commit_ssl_cert_succeeded(*commit)) {
            auto e = fail("commit ssl cert " + cfg_.crt_path, haproxy::reply_excerpt(*commit), errc::protocol_error);
            (void)co_await call(haproxy::abort_ssl_cert_command(cfg_.crt_path));
            co_return e;
        }
        auto after = co_await served();
        if (!after) co_return after.error();
        if (after->sha1_fingerprint != facts->sha1_fingerprint ||
            after->serial_hex != haproxy::normalize_hex(facts->serial_hex))
            co_return fail("verify", "after commit HAProxy serves serial " + after->serial_hex + " at " +
                                         cfg_.crt_path + ", expected " + facts->serial_hex, errc::protocol_error);
        co_return deploy_outcome{true, "HAProxy now serves serial " + facts->serial_hex + " at " + cfg_.crt_path +
                                           " (was " + before->serial_hex + ")"};
    }

    // `show ssl cert <crt_path>`, parsed.
    awaitable<result<haproxy::served_certificate>> served() {
        auto reply = co_await call(haproxy::show_ssl_cert_command(cfg_.crt_path));
        if (!reply) co_return reply.error();
        auto parsed = haproxy::parse_show_ssl_cert(*reply);
        if (parsed.has_error() && parsed.error() == errc::not_found)
            co_return fail("show ssl cert " + cfg_.crt_path,
                           "HAProxy does not know this certificate (" + haproxy::reply_excerpt(*reply) +
                               "); crt_path must be the file named by a `crt` line of its configuration",
                           errc::protocol_error);
        if (!parsed)
            co_return fail("show ssl cert " + cfg_.crt_path, "unexpected answer: " + haproxy::reply_excerpt(*reply),
                           errc::protocol_error);
        co_return parsed;
    }

    // One command on a fresh connection; the whole reply (HAProxy closes after answering).
    awaitable<result<std::string>> call(const std::string& command) {
        local::socket sock(ex_);
        asio::steady_timer timer(ex_);
        boost::system::error_code ec;
        auto verb = command.substr(0, command.find_first_of("<\n"));
        while (!verb.empty() && verb.back() == ' ') verb.pop_back();

        timer.expires_after(cfg_.timeout);
        auto c = co_await (sock.async_connect(local::endpoint(cfg_.socket), asio::redirect_error(asio::use_awaitable, ec)) ||
                           timer.async_wait(asio::use_awaitable));
        if (c.index() == 1) co_return fail("connect " + cfg_.socket, "timed out", errc::timeout);
        if (ec) co_return fail("connect " + cfg_.socket, ec.message() + socket_hint(ec), errc::io_error);

        timer.expires_after(cfg_.timeout);
        auto w = co_await (asio::async_write(sock, asio::buffer(command), asio::redirect_error(asio::use_awaitable, ec)) ||
                           timer.async_wait(asio::use_awaitable));
        if (w.index() == 1) co_return fail(verb, "timed out sending the command", errc::timeout);
        if (ec) co_return fail(verb, "sending the command: " + ec.message(), errc::io_error);

        std::string reply;
        timer.expires_after(cfg_.timeout);
        auto r = co_await (asio::async_read(sock, asio::dynamic_buffer(reply, max_reply),
                                            asio::redirect_error(asio::use_awaitable, ec)) ||
                           timer.async_wait(asio::use_awaitable));
        if (r.index() == 1) co_return fail(verb, "timed out waiting for HAProxy's answer", errc::timeout);
        if (ec && ec != asio::error::eof && ec != asio::error::connection_reset)
            co_return fail(verb, "reading the answer: " + ec.message(), errc::io_error);
        if (reply.find("Permission denied") != std::string::npos)
            co_return fail(verb, "HAProxy says \"" + haproxy::reply_excerpt(reply) +
                                     "\": the stats socket needs `level admin`", errc::protocol_error);
        co_return reply;
    }

    static std::string socket_hint(const boost::system::error_code& ec) {
        if (ec == asio::error::access_denied) return " (certman's user needs write access to the socket: see its mode/user/group)";
        if (ec == asio::error::not_found || ec == boost::system::errc::no_such_file_or_directory)
            return " (is HAProxy running with `stats socket <path> level admin`?)";
        if (ec == asio::error::connection_refused) return " (nobody listens: HAProxy stopped?)";
        return "";
    }

    asio::any_io_executor ex_;
    haproxy_deployer_options cfg_;
    serial_jobs jobs_;  // the crt_path write on the blocking pool (inline without a pool)
};

}  // namespace

std::unique_ptr<deployer> make_haproxy_deployer(asio::any_io_executor executor, std::string name,
                                                const haproxy_deployer_options& config, blocking_pool* blocking) {
    auto bad = [&](const std::string& why) {
        return std::invalid_argument("deployer " + name + " (haproxy): " + why);
    };
    if (config.socket.empty()) throw bad("socket (the stats socket path) is required");
    if (config.crt_path.empty()) throw bad("crt_path (the PEM file HAProxy loads) is required");
    if (config.crt_path.front() != '/') throw bad("crt_path must be an absolute path");
    if (!haproxy::valid_cli_word(config.crt_path))
        throw bad("crt_path cannot contain whitespace, ';', '\\', '#' or '<' (HAProxy's CLI cannot name it)");
    if (config.timeout.count() <= 0) throw bad("timeout must be positive");
    return std::make_unique<haproxy_deployer>(std::move(executor), std::move(name), config, blocking);
}

}  // namespace certman::deploy
