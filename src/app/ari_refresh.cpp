// ACME Renewal Information (RFC 9773): fetch the CA's suggested renewal window for a stored certificate.
// Unauthenticated GET of <renewalInfo>/<certID> (§4.1); polled again at the server's Retry-After (clamped so
// that it happens at least twice a day); the window and the poll time persist in the certificate's state.
#include <spdlog/spdlog.h>
#include "certman/acme/directory.hpp"
#include "certman/acme/time_format.hpp"
#include "certman/app/cert_state.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/policy/ari.hpp"
#include "certman/policy/rfc3339.hpp"

namespace certman::app {
namespace asio = boost::asio;

asio::awaitable<void> renewal_manager::run_refresh_ari(const std::string& name, const storage::certificate_bundle& b,
                                                       cert_state& state, std::chrono::sys_seconds now) {
    auto facts = crypto::inspect_certificate(b.certificate_pem);
    if (!facts || facts->authority_key_id.empty()) co_return;
    const auto id = policy::ari_cert_id(facts->authority_key_id, facts->serial_der);
    if (state.ari && state.ari_cert_id == id && now < state.ari->next_poll) co_return;
    if (!directory_ || directory_url_ != rt_.cfg.acme.directory) {
        net::http_request req;
        req.url = rt_.cfg.acme.directory;
        req.timeout = rt_.cfg.acme.request_timeout;
        auto res = co_await http().send(std::move(req));
        if (!res || res->status != 200) co_return;  // the order path reports an unreachable CA
        auto dir = acme::parse_directory(res->body);
        if (!dir) co_return;
        directory_ = std::move(*dir);
        directory_url_ = rt_.cfg.acme.directory;
    }
    if (!directory_->renewal_info) co_return;
    net::http_request req;
    req.url = *directory_->renewal_info + "/" + id;
    req.timeout = rt_.cfg.acme.request_timeout;
    auto res = co_await http().send(std::move(req));
    if (!res || res->status != 200) {
        spdlog::debug("certificate {}: renewalInfo {} unavailable ({}); using the lifetime rule", name, req.url,
                      res ? std::to_string(res->status) : res.error().message());
        co_return;
    }
    std::optional<std::chrono::seconds> retry_after;
    if (auto h = res->header("Retry-After")) retry_after = acme::parse_retry_after(*h, std::chrono::system_clock::now());
    auto window = policy::parse_renewal_info(res->body, retry_after, now);
    if (!window) {
        spdlog::warn("certificate {}: the CA's renewalInfo for {} is malformed; using the lifetime rule", name, id);
        co_return;
    }
    const bool changed = !state.ari || state.ari->start != window->start || state.ari->end != window->end;
    state.ari = std::move(*window);
    state.ari_cert_id = id;
    if (changed)
        spdlog::info("certificate {}: CA suggests renewing between {} and {}{}", name, policy::format_rfc3339(state.ari->start),
                     policy::format_rfc3339(state.ari->end),
                     state.ari->explanation_url.empty() ? "" : " (see " + state.ari->explanation_url + ")");
}
}  // namespace certman::app
