// make_server(): the server of server.hpp, assembled from one piece per concept (all internal to src/net):
//   connection.hpp      an accepted descriptor served with recv()/send() until a step would block (fast path)
//   request_head.hpp    the request parser: method, target, strict framing; fields and body discarded
//   session_list.hpp    the open sessions, their deadline stamps and the sweeper that enforces them
//   listener.hpp        the listening socket, the accept4() loop and the pause at max_connections
//   session.hpp         the per-connection coroutine: read / answer / write, keep-alive, error answers
//   answer.hpp          what a session answers (handler, cluster fallback, error routes)
//   reference_session.cpp  the same session in plain Beast, no fast path (make_reference_server)
//   lingering_close.hpp closing while the client may still be sending (RFC 9112 §9.6)
// This file only starts and stops them.
#include "certman/net/server.hpp"
#include <boost/asio/co_spawn.hpp>
#include <spdlog/spdlog.h>
#include "listener.hpp"
#include "session_list.hpp"

namespace certman::net {
namespace asio = boost::asio;

namespace {

// The completion handler of a long-lived coroutine: it should never end with an exception; if it does, say so.
auto log_if_failed(std::string name, const char* what) {
    return [name = std::move(name), what](std::exception_ptr e) {
        if (!e) return;
        try { std::rethrow_exception(e); } catch (const std::exception& x) {
            spdlog::critical("{}: {} stopped: {}", name, what, x.what());
        }
    };
}

class listening_server final : public server {
public:
    listening_server(asio::any_io_executor ex, server_options options, request_handler handler, session_starter start)
        : executor_(ex), state_(std::make_shared<server_state>(ex, std::move(options), std::move(handler))),
          listener_(ex, state_, start) {}

    result<void> start() override {
        if (auto ec = listener_.open(state_->options.listen)) return ec;
        asio::co_spawn(executor_, listener_.run(), log_if_failed(state_->options.name, "listener"));
        asio::co_spawn(executor_, run_sweeper(state_), log_if_failed(state_->options.name, "deadline sweeper"));
        return {};
    }

    void stop() override {
        if (state_->stopping) return;
        state_->stopping = true;
        listener_.close();
        state_->cancel_reading();
        state_->sweep_timer.cancel();  // a parked sweeper ends now if no session is left
        state_->slot_timer.cancel();   // a listener waiting for a slot ends
    }

    const http_stats& stats() const override { return state_->stats; }
    std::size_t open_connections() const override { return state_->session_count; }
    endpoint local_endpoint() const override { return listener_.local_endpoint(); }

private:
    asio::any_io_executor executor_;
    std::shared_ptr<server_state> state_;
    listener listener_;
};
}  // namespace

std::unique_ptr<server> make_server(asio::any_io_executor executor, server_options options, request_handler handler) {
    return std::make_unique<listening_server>(executor, std::move(options), std::move(handler), start_session);
}

std::unique_ptr<server> make_reference_server(asio::any_io_executor executor, server_options options,
                                              request_handler handler) {
    return std::make_unique<listening_server>(executor, std::move(options), std::move(handler), start_reference_session);
}
}  // namespace certman::net
